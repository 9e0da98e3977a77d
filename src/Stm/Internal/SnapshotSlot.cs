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

    internal SnapshotSlot(Thread? ownerThread) => _ownerThread = ownerThread;

    internal long Snapshot => Volatile.Read(ref _snapshot);

    internal Thread? OwnerThread
    {
        get => Volatile.Read(ref _ownerThread);
        set => Volatile.Write(ref _ownerThread, value);
    }

    /// <summary>
    /// Publishes the snapshot of a starting transaction and returns its read version. The exchange is
    /// a full fence: a committer computing the oldest snapshot either sees this slot, or started its
    /// scan before the fence, in which case the read version returned here is at least the clock value
    /// that committer read first (so it never needs a version that committer may drop).
    /// </summary>
    internal long Enter()
    {
        Interlocked.Exchange(ref _snapshot, VersionClock.Now);
        return VersionClock.Now;
    }

    /// <summary>Marks the slot unused: its transaction reads nothing more.</summary>
    internal void Exit() => Volatile.Write(ref _snapshot, Inactive);
}
