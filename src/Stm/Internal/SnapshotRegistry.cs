namespace Stm.Internal;

/// <summary>
/// The set of snapshot slots, and the oldest snapshot any running transaction may still read:
/// committers drop every version that no snapshot at or above it can see.
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
    /// A lower bound of every published snapshot, now and later. A transaction
    /// that starts after a scan reads a clock value at least the one the scan began with, so each
    /// computed value stays a bound. (A transaction whose slot store is
    /// still in flight during a scan may lose its versions; it then re-runs, see
    /// <see cref="SnapshotSlot.Enter"/>.)
    /// </summary>
    private static long s_cachedOldest;

    /// <summary>Whether the last scan found transactions running (the committer's own already released).</summary>
    private static bool s_othersActive;

    /// <summary>The last computed bound, without a fresh scan.</summary>
    internal static long CachedOldest => Volatile.Read(ref s_cachedOldest);

    /// <summary>
    /// Returns a bound at least <paramref name="needAtLeast"/> if the running snapshots allow it,
    /// scanning the slots only when the cached bound is lower than
    /// that. While other transactions run, a scan reads slots that their owners keep writing (cache
    /// misses on every core), so it is done only once the caller's chain of versions has grown long
    /// (<paramref name="chainIsLong"/>): until then hot TVars keep a few more versions, and disjoint
    /// transactions on different cores do not slow each other down.
    /// </summary>
    /// <param name="needAtLeast">The bound that would let the caller trim.</param>
    /// <param name="chainIsLong">The caller keeps many versions: scan even while others run.</param>
    internal static long OldestActive(long needAtLeast, bool chainIsLong)
    {
        long cached = Volatile.Read(ref s_cachedOldest);
        return cached >= needAtLeast || (!chainIsLong && Volatile.Read(ref s_othersActive))
            ? cached
            : Recompute(cached);
    }

    private static long Recompute(long cached)
    {
        // Read the clock before the scan: a transaction that starts after the scan reads at least this.
        long oldest = VersionClock.Now;
        bool othersActive = false;
        foreach (SnapshotSlot slot in Volatile.Read(ref s_slots))
        {
            long snapshot = slot.Snapshot;
            if (snapshot != SnapshotSlot.Inactive)
            {
                othersActive = true;
                if (snapshot < oldest)
                {
                    oldest = snapshot;
                }
            }
        }

        // Plain stores: if a racing scan stores a lower bound over ours, the bound is merely more
        // conservative (keeps more versions), never wrong.
        if (oldest > cached)
        {
            Volatile.Write(ref s_cachedOldest, oldest);
        }

        if (Volatile.Read(ref s_othersActive) != othersActive)
        {
            Volatile.Write(ref s_othersActive, othersActive);
        }

        return oldest;
    }

    /// <summary>Hands out a slot for a thread's cached transaction, or for a temporary one when <paramref name="owner"/> is null.</summary>
    internal static SnapshotSlot Rent(Thread? owner)
    {
        lock (s_growLock)
        {
            if (s_free.TryPop(out SnapshotSlot? free))
            {
                free.OwnerThread = owner;
                return free;
            }

            SnapshotSlot[] slots = s_slots;
            foreach (SnapshotSlot slot in slots)
            {
                Thread? thread = slot.OwnerThread;
                if (thread is not null && !thread.IsAlive && slot.Snapshot == SnapshotSlot.Inactive)
                {
                    slot.OwnerThread = owner;
                    return slot;
                }
            }

            var created = new SnapshotSlot(owner);
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
            s_free.Push(slot);
        }
    }
}
