using System.Runtime.InteropServices;

namespace Stm.Internal;

/// <summary>
/// One published snapshot: the read version below which the transaction using this slot may still
/// read, or <see cref="Inactive"/>. Padded to a cache line of its own: each owner writes it twice
/// per transaction, and committers scan all slots now and then.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal sealed class SnapshotSlot
{
    /// <summary>The value of an unused slot.</summary>
    internal const long Inactive = long.MaxValue;

    /// <summary>The thread whose cached transaction owns the slot (null for a temporary one); dead owners' slots are reused.</summary>
    [FieldOffset(0)]
    private Thread? _ownerThread;

    [FieldOffset(64)]
    private long _snapshot = Inactive;

    /// <summary>The transaction using this slot, whose <see cref="LockId"/> this is.</summary>
    [FieldOffset(8)]
    private Transaction? _transaction;

    /// <summary>
    /// What a TVar's lock word holds while the transaction using this slot has it locked: the slot's
    /// position in the registry plus one (0 means unlocked), so taking a lock is a CAS on an integer.
    /// </summary>
    [FieldOffset(16)]
    private readonly int _lockId;

    internal SnapshotSlot(Thread? ownerThread, Transaction transaction, int lockId)
    {
        _ownerThread = ownerThread;
        _transaction = transaction;
        _lockId = lockId;
    }

    internal int LockId => _lockId;

    /// <summary>
    /// The transaction using this slot, or null once a temporary one has returned it. A reader that
    /// found our lock id in a TVar and then finds another transaction (or null) here was slow: the
    /// lock holder has since unlocked, so it published before, and the reader's next read of the
    /// TVar's version sees that.
    /// </summary>
    internal Transaction? Transaction
    {
        get => Volatile.Read(ref _transaction);
        set => Volatile.Write(ref _transaction, value);
    }

    internal long Snapshot => Volatile.Read(ref _snapshot);

    internal Thread? OwnerThread
    {
        get => Volatile.Read(ref _ownerThread);
        set => Volatile.Write(ref _ownerThread, value);
    }

    /// <summary>
    /// Publishes the snapshot of a starting transaction and returns its read version.
    /// </summary>
    /// <remarks>
    /// Deliberately no fence: this store is on the path of every transaction, read-only ones included,
    /// and a full fence would be a large share of their cost (docs/performance.md, "One thread: where
    /// the time goes"). So a committer whose scan runs before this store is visible may unlink
    /// versions we need. That
    /// cannot make a read wrong, only impossible: a reader walks from the newest version and takes
    /// the first node with a stamp at or below its read version, and an unlinked version leaves a
    /// <see cref="VersionGap"/> or a cut link there (see <see cref="VersionRetention"/>), so the
    /// attempt re-runs on a fresh snapshot. The window is a few instructions wide, against a scan of
    /// every slot.
    /// </remarks>
    internal long Enter()
    {
        long now = VersionClock.Snapshot();
        Volatile.Write(ref _snapshot, now);
        return now;
    }

    /// <summary>
    /// Publishes a newer snapshot for a transaction that moved its snapshot forward (having validated
    /// its reads there). The same unfenced store as <see cref="Enter"/>, with the same consequence if
    /// a scan misses it: a read that finds its version gone re-runs the attempt.
    /// </summary>
    internal void MoveTo(long snapshot) => Volatile.Write(ref _snapshot, snapshot);

    /// <summary>Marks the slot unused: its transaction reads nothing more.</summary>
    internal void Exit() => Volatile.Write(ref _snapshot, Inactive);
}
