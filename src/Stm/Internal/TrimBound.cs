namespace Stm.Internal;

/// <summary>
/// What one committing thread knows about the oldest snapshot any transaction may still read: the
/// bound below which it cuts version chains (see <see cref="TVarState.Publish"/>).
/// </summary>
/// <remarks>
/// Kept per thread, not shared: a shared cached bound was rewritten by every committer, and with
/// two threads committing to disjoint TVars that cache line (and the scans of each other's hot
/// snapshot slots) cost more than the commits themselves. A stale bound is only conservative: it
/// keeps more versions, never too few.
/// </remarks>
internal struct TrimBound
{
    /// <summary>No snapshot that is running, or that starts later, reads below this (as of the last scan).</summary>
    internal long Oldest;

    /// <summary>Whether the last scan saw another transaction running.</summary>
    internal bool OthersActive;

    /// <summary>
    /// Returns a bound that is at least <paramref name="needAtLeast"/> if one can be had. Scans the
    /// snapshot slots only when the known bound is too low and either nobody else was running at the
    /// last scan (a single thread then keeps one or two versions) or the chain has grown long.
    /// </summary>
    internal long AtLeast(long needAtLeast, bool chainIsLong)
    {
        if (Oldest >= needAtLeast || (OthersActive && !chainIsLong))
        {
            return Oldest;
        }

        long oldest = SnapshotRegistry.Scan(out OthersActive);
        if (oldest > Oldest)
        {
            Oldest = oldest;
        }

        return Oldest;
    }
}
