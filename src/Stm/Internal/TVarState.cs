using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// Everything of a <see cref="TVar{T}"/> that the commit protocol touches, none of which depends on
/// the value type: the newest version, the commit lock, the wait list, the id and the name.
/// </summary>
/// <remarks>
/// It is the only field of every <see cref="TVar{T}"/>, so it sits at the same offset in all of
/// them, and <see cref="Of"/> reaches it from an untyped TVar reference with a plain field access
/// (the pattern of the BCL's <c>RuntimeHelpers.GetRawData</c>). Locking, validation, publication and
/// wake-up therefore run without an interface call per TVar: in a program with TVars of many value
/// types, every such call site is polymorphic and each call went through the runtime's resolve stub.
/// </remarks>
internal struct TVarState
{
    /// <summary>The newest committed version. Read with acquire and written with release semantics.</summary>
    internal VersionNode Current;

    /// <summary>
    /// The commit lock: 0, or the lock id of the transaction that holds it while it publishes (see
    /// <see cref="SnapshotSlot.LockId"/>; an integer, so locking is an inline CAS with no GC write
    /// barrier). A lock is held only between a committer's lock acquisition and its unlock, never
    /// while user code runs (commute functions excepted), so readers that meet it spin briefly
    /// instead of blocking.
    /// </summary>
    internal int LockHolder;

    /// <summary>
    /// The ticket of the last losing run whose attempt read or wrote this TVar (see
    /// <see cref="ContentionManager"/>): while that run holds priority, commits that write this TVar wait for it.
    /// </summary>
    internal int PriorityMark;

    /// <summary>Transactions parked in <see cref="Atomic.Retry"/> after reading this TVar; created on first use.</summary>
    internal WaitList? WaitList;

    /// <summary>The diagnostic name, or null.</summary>
    internal string? Name;

    /// <summary>A process-unique id; commit locks are taken in id order.</summary>
    internal long Id;

    /// <summary>1 while the <see cref="VersionReclaimer"/> watches this TVar (it keeps old versions for open snapshots).</summary>
    internal int Watched;

    /// <summary>The state of any TVar, whatever its value type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref TVarState Of(ITVar var) => ref Unsafe.As<Layout>(var).State;

    internal VersionNode CurrentVersion => Volatile.Read(ref Current);

    internal bool IsLocked => Volatile.Read(ref LockHolder) != 0;

    /// <summary>
    /// True if a transaction other than the one with <paramref name="selfLockId"/> holds the lock and
    /// commits with a stamp at or below <paramref name="bound"/> (or is about to know its stamp): its
    /// version belongs to the snapshot at <paramref name="bound"/> but may not be published yet. The
    /// holder is looked up only when the lock word is neither free nor our own.
    /// </summary>
    internal bool IsHeldByCommitAtOrBelow(int selfLockId, long bound)
    {
        int holder = Volatile.Read(ref LockHolder);
        return holder != 0
            && holder != selfLockId
            && SnapshotRegistry.TransactionWithLockId(holder) is { } owner
            && owner.HasStampAtOrBelow(bound);
    }

    internal bool TryLock(int lockId) => Interlocked.CompareExchange(ref LockHolder, lockId, 0) == 0;

    internal void Unlock() => Volatile.Write(ref LockHolder, 0);

    internal WaitList GetOrCreateWaitList()
    {
        WaitList? list = Volatile.Read(ref WaitList);
        if (list is not null)
        {
            return list;
        }

        Interlocked.CompareExchange(ref WaitList, new WaitList(), null);
        return WaitList!;
    }

    /// <summary>
    /// Publishes a pending node as the newest version with the given stamp (the caller holds the
    /// lock and the stamp), keeping below it only what a live snapshot can still read.
    /// </summary>
    internal void Publish(VersionNode node, long stamp, ref TrimBound bound, ITVar var)
    {
        VersionNode previous = Volatile.Read(ref Current);
        node.Stamp = stamp;
        if (previous.Older is null)
        {
            // Only `previous` is kept: it goes too if no snapshot can read below our stamp (known
            // bound, no scan: this is every commit of a TVar that nobody reads from the past).
            node.Older = bound.Oldest >= stamp ? null : previous;
        }
        else
        {
            node.Older = previous;
            Trim(node, previous, ref bound, var);
        }

        Volatile.Write(ref Current, node);
    }

    /// <summary>
    /// Publishes a pending node for a sole commit, which holds the clock (odd: a snapshot that starts
    /// now reads below our stamp, so `previous` stays) rather than the lock. Nobody else changes
    /// this chain meanwhile: a locking committer publishes only with a stamp, which it cannot take
    /// while we hold the clock, and the caller checked that no committer holding a stamp had this
    /// TVar locked.
    /// </summary>
    internal void PublishAlone(VersionNode node, long stamp, ref TrimBound bound, ITVar var)
    {
        VersionNode previous = Volatile.Read(ref Current);
        node.Stamp = stamp;
        node.Older = previous;
        if (previous.Older is not null)
        {
            Trim(node, previous, ref bound, var);
        }

        Volatile.Write(ref Current, node);
    }

    /// <summary>
    /// Keeps below <paramref name="head"/> (about to be published over <paramref name="previous"/>)
    /// only the versions a live snapshot reads. If every snapshot reads <paramref name="previous"/> or
    /// newer (by the known bound, or by one pass for the slots' minimum), everything below it goes;
    /// otherwise every live snapshot is collected and the chain compacted, and a TVar left with old
    /// versions is handed to the <see cref="VersionReclaimer"/>, which frees them once their
    /// snapshots close even if the TVar is never written again.
    /// </summary>
    private static void Trim(VersionNode head, VersionNode previous, ref TrimBound bound, ITVar var)
    {
        if (TestHooks.Enabled && TestHooks.KeepEveryVersion)
        {
            return;
        }

        if ((TestHooks.Enabled && TestHooks.TrimVersionsInUse) || bound.NoSnapshotBelow(previous.Stamp, head.Stamp))
        {
            previous.Older = null;
            return;
        }

        // Versions older than the one just replaced stay only for snapshots that started before it:
        // once those close, the reclaimer frees them even if the TVar is never written again.
        ReadOnlySpan<long> live = bound.ScanLive(head.Stamp);
        int kept = VersionRetention.Compact(head, live);
        if (kept > 1 && live[0] < previous.Stamp)
        {
            VersionReclaimer.Watch(var, previous.Stamp);
        }
    }

    /// <summary>The shape of every <see cref="TVar{T}"/>: one <see cref="TVarState"/> field and nothing else.</summary>
    private sealed class Layout
    {
#pragma warning disable CS0649 // Never assigned: only ever viewed over a TVar<T>, never constructed.
        internal TVarState State;
#pragma warning restore CS0649
    }
}
