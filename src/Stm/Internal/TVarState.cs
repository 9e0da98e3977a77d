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

    /// <summary>The bound of the last walk that cut this TVar's chain (written only by the holder of the commit lock, or of the clock in a sole commit).</summary>
    internal long TrimmedAt;

    /// <summary>
    /// While other transactions run, a committer scans the snapshot slots only once the TVar keeps
    /// more versions than this (see <see cref="TrimBound.AtLeast"/>).
    /// </summary>
    private const int VersionsBeforeScan = 8;

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
    /// lock), and cuts the chain below what a running snapshot may still read.
    /// </summary>
    internal void Publish(VersionNode node, long stamp, ref TrimBound bound)
    {
        VersionNode previous = Volatile.Read(ref Current);
        node.Stamp = stamp;
        long oldest = BoundBelow(previous, ref bound);
        if (oldest >= stamp)
        {
            node.Older = null;
        }
        else
        {
            node.Older = previous;
            CutBelow(previous, oldest);
        }

        Volatile.Write(ref Current, node);
    }

    /// <summary>
    /// Publishes a pending node for a sole commit, which holds the clock (odd: a snapshot that starts
    /// now reads below our stamp) rather than the lock: the previous version stays, and everything
    /// below it goes as soon as no running snapshot can read it. Nobody else changes this chain
    /// meanwhile: a locking committer publishes only with a stamp, which it cannot take while we
    /// hold the clock, and the caller checked that no committer holding a stamp had this TVar locked.
    /// </summary>
    internal void PublishAlone(VersionNode node, long stamp, ref TrimBound bound)
    {
        VersionNode previous = Volatile.Read(ref Current);
        node.Stamp = stamp;
        node.Older = previous;
        if (previous.Older is not null)
        {
            // Scan even while other threads were seen lately (unlike BoundBelow): the bound a sole
            // commit can know is always below its own stamp, so a cached one would let the chain
            // grow by a version at every commit until the next scan.
            CutBelow(previous, bound.AtLeast(previous.Stamp, chainIsLong: true));
        }

        Volatile.Write(ref Current, node);
    }

    /// <summary>
    /// The bound for cutting below <paramref name="previous"/>: every snapshot at or above it reads
    /// the first version whose stamp is at or below its read version, so nothing below the first
    /// version with a stamp at or below the bound can ever be read again. When only
    /// <paramref name="previous"/> is kept, the known bound decides whether it can go as well; the
    /// slots are scanned only when there is an older chain to cut.
    /// </summary>
    private static long BoundBelow(VersionNode previous, ref TrimBound bound) =>
        previous.Older is null
            ? bound.Oldest
            : bound.AtLeast(previous.Stamp, KeepsMoreThan(previous, VersionsBeforeScan));

    /// <summary>Cuts the chain below the version that a snapshot at <paramref name="oldest"/> reads, starting at <paramref name="previous"/>.</summary>
    private void CutBelow(VersionNode previous, long oldest)
    {
        if (previous.Stamp <= oldest)
        {
            // Only if set: the first version may be shared and is never written (VersionNode<T>.SharedDefault).
            if (previous.Older is not null)
            {
                previous.Older = null;
            }
        }
        else if (oldest > TrimmedAt)
        {
            // The bound has risen since this TVar's chain was last cut, but is still below
            // `previous`: walk to the version the oldest snapshot reads and cut below it. (While
            // an old snapshot stays open the bound does not move, so commits do not walk the
            // chain it pins again and again.)
            VersionNode keep = previous;
            while (keep.Stamp > oldest && keep.Older is { } older)
            {
                keep = older;
            }

            if (keep.Older is not null)
            {
                keep.Older = null;
            }

            TrimmedAt = oldest;
        }
    }

    /// <summary>True if the chain from <paramref name="node"/> holds more than <paramref name="limit"/> versions (walks at most that far).</summary>
    private static bool KeepsMoreThan(VersionNode node, int limit)
    {
        VersionNode? next = node;
        for (int i = 0; i < limit; i++)
        {
            next = next.Older;
            if (next is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The shape of every <see cref="TVar{T}"/>: one <see cref="TVarState"/> field and nothing else.</summary>
    private sealed class Layout
    {
#pragma warning disable CS0649 // Never assigned: only ever viewed over a TVar<T>, never constructed.
        internal TVarState State;
#pragma warning restore CS0649
    }
}
