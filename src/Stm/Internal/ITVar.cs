namespace Stm.Internal;

/// <summary>
/// The non-generic face of a <see cref="TVar{T}"/>, so that one transaction log can hold TVars of
/// any type without boxing. Everything type-independent (locking, validation, publication, wait
/// lists) goes through <see cref="TVarState.Of"/> without an interface call; only what needs the
/// value type is here.
/// </summary>
internal interface ITVar
{
    /// <summary>Applies pending commutes to the newest committed value (the caller holds the lock).</summary>
    void ApplyCommutes(VersionNode pendingNode, object commutes);
}
