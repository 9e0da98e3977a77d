using System.Collections.Concurrent;

namespace Stm.Internal;

/// <summary>
/// The set of snapshot slots, and the live snapshots in them: committers keep only the versions
/// those snapshots read (see <see cref="VersionRetention"/>).
/// </summary>
/// <remarks>
/// Slots are appended copy-on-write under a lock (rare: once per thread) and scanned without one.
/// A slot of a thread that has died is handed to the next thread that needs one, so the array
/// grows with the number of threads alive at once, not with the number ever created.
/// </remarks>
internal static class SnapshotRegistry
{
    /// <summary>A plain monitor (not System.Threading.Lock), so that systematic-testing tools can control it.</summary>
    private static readonly object s_growLock = new();

    /// <summary>Every slot ever handed out; replaced, never mutated, when it grows.</summary>
    private static SnapshotSlot[] s_slots = [];

    /// <summary>Slots returned by temporary transactions, ready for reuse (guarded by <see cref="s_growLock"/>).</summary>
    private static readonly Stack<SnapshotSlot> s_free = new();

    /// <summary>
    /// Slots given back by finalizers, which take no lock (see <see cref="ReturnFromFinalizer"/>);
    /// <see cref="Rent"/> reuses them once <see cref="s_free"/> is empty.
    /// </summary>
    private static readonly ConcurrentQueue<SnapshotSlot> s_returnedByFinalizers = new();

    /// <summary>
    /// The lowest published snapshot, or <paramref name="lowestNext"/> (the lowest snapshot a
    /// transaction starting later can have: see <see cref="TrimBound"/>) if that is lower. Writes
    /// nothing shared. The same unfenced reads as <see cref="ScanLive"/>, with the same safe failure.
    /// </summary>
    internal static long OldestLive(long lowestNext)
    {
        long oldest = lowestNext;
        foreach (SnapshotSlot slot in Volatile.Read(ref s_slots))
        {
            // An inactive slot holds long.MaxValue, never below the clock.
            oldest = Math.Min(oldest, slot.Snapshot);
        }

        return oldest;
    }

    /// <summary>
    /// Collects every published snapshot, plus <paramref name="lowestNext"/> (the lowest snapshot a
    /// transaction starting later can have), into <paramref name="buffer"/> in ascending
    /// order, and returns how many there are (at least one). Writes nothing shared. A snapshot whose
    /// slot store is still in flight may be missed; its reads then fail safely (see
    /// <see cref="VersionRetention"/>).
    /// </summary>
    internal static int ScanLive(ref long[]? buffer, long lowestNext)
    {
        long clock = lowestNext;
        SnapshotSlot[] slots = Volatile.Read(ref s_slots);
        if (buffer is null || buffer.Length <= slots.Length)
        {
            buffer = new long[slots.Length + 8];
        }

        int count = 0;
        foreach (SnapshotSlot slot in slots)
        {
            long snapshot = slot.Snapshot;
            if (snapshot != SnapshotSlot.Inactive)
            {
                buffer[count++] = snapshot;
            }
        }

        buffer[count++] = clock;
        VersionRetention.SortAscending(buffer, count);
        return count;
    }

    /// <summary>The transaction whose lock id is <paramref name="lockId"/> (see <see cref="SnapshotSlot.LockId"/>), or null.</summary>
    internal static Transaction? TransactionWithLockId(int lockId) => Volatile.Read(ref s_slots)[lockId - 1].Transaction;

    internal static SnapshotSlot Rent(Thread? owner, Transaction transaction)
    {
        lock (s_growLock)
        {
            if (s_free.TryPop(out SnapshotSlot? free) || s_returnedByFinalizers.TryDequeue(out free))
            {
                free.OwnerThread = owner;
                free.Transaction = transaction;
                return free;
            }

            SnapshotSlot[] slots = s_slots;
            foreach (SnapshotSlot slot in slots)
            {
                Thread? thread = slot.OwnerThread;
                if (thread is not null && !thread.IsAlive && slot.Snapshot == SnapshotSlot.Inactive)
                {
                    slot.OwnerThread = owner;
                    slot.Transaction = transaction;
                    return slot;
                }
            }

            var created = new SnapshotSlot(owner, transaction, lockId: slots.Length + 1);
            var grown = new SnapshotSlot[slots.Length + 1];
            Array.Copy(slots, grown, slots.Length);
            grown[^1] = created;
            Volatile.Write(ref s_slots, grown);
            return created;
        }
    }

    /// <summary>Takes back the slot of a temporary transaction.</summary>
    internal static void Return(SnapshotSlot slot)
    {
        slot.Exit();
        lock (s_growLock)
        {
            slot.OwnerThread = null;
            slot.Transaction = null;
            s_free.Push(slot);
        }
    }

    /// <summary>
    /// Takes back a slot from a finalizer: withdraws its snapshot now and queues the slot for reuse
    /// without taking <see cref="s_growLock"/>. A finalizer that waited for a lock an application
    /// thread holds would hold up every other finalizer; and a systematic tester, which controls the
    /// lock only on the threads it schedules, would let the finalizer thread into it beside them.
    /// </summary>
    internal static void ReturnFromFinalizer(SnapshotSlot slot)
    {
        slot.Exit();
        slot.OwnerThread = null;
        slot.Transaction = null;
        s_returnedByFinalizers.Enqueue(slot);
    }
}
