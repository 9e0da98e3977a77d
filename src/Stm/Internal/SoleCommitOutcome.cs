namespace Stm.Internal;

/// <summary>How an attempt to commit alone ended (see <see cref="Transaction"/>'s <c>TryCommitSole</c>).</summary>
internal enum SoleCommitOutcome
{
    /// <summary>Committed and published; nothing more to do.</summary>
    Committed,

    /// <summary>Nothing changed; the locking commit must do it (the clock moved again, a written TVar is locked, or a write has commutes).</summary>
    NeedsLocks,

    /// <summary>Something the attempt read has changed since its snapshot: a locking commit would fail its validation too.</summary>
    Conflict,
}
