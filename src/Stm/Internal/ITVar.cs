namespace Stm.Internal;

/// <summary>
/// The non-generic face of a <see cref="TVar{T}"/>, so that one transaction log can hold TVars of
/// any type without boxing. Used on the commit, validation and wake-up paths only: the read path
/// works on <see cref="TVar{T}"/> directly, without interface dispatch.
/// </summary>
internal interface ITVar
{
    /// <summary>A process-unique id; commit locks are taken in id order.</summary>
    long Id { get; }

    /// <summary>The diagnostic name, or null.</summary>
    string? Name { get; }

    /// <summary>The newest committed version node (compared by reference during validation).</summary>
    object CurrentVersion { get; }

    /// <summary>The transaction committing to this TVar right now, or null.</summary>
    Transaction? Owner { get; }

    /// <summary>The wait list of transactions parked in Retry on this TVar, or null if none ever parked.</summary>
    WaitList? WaitList { get; }

    /// <summary>Tries to take the commit lock for <paramref name="owner"/>.</summary>
    bool TryLock(Transaction owner);

    /// <summary>Releases the commit lock.</summary>
    void Unlock();

    /// <summary>Applies pending commutes to the newest committed value (the caller holds the lock).</summary>
    void ApplyCommutes(object pendingNode, object commutes);

    /// <summary>Publishes a pending node as the newest version with the given stamp (the caller holds the lock).</summary>
    void Publish(object pendingNode, long stamp);

    /// <summary>Returns the wait list, creating it on first use.</summary>
    WaitList GetOrCreateWaitList();
}
