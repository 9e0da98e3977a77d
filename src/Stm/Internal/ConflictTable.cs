namespace Stm.Internal;

/// <summary>
/// The TVars that conflicts are attributed to, with counts: a bounded, lock-free table updated only
/// when an attempt is aborted by a conflict (never on a commit), for <see cref="StmDiagnostics"/>.
/// </summary>
/// <remarks>
/// A TVar hashes to a window of <see cref="Window"/> consecutive slots out of <see cref="Size"/>. Its
/// conflict increments its row in the window, or fills an empty slot; when the window is full of other
/// TVars, the row with the fewest conflicts gives way. So a TVar that keeps conflicting stays and
/// counts up, while TVars with a few conflicts each replace one another. A count is therefore the
/// conflicts since the TVar's row was created. Races between two threads that replace rows at once
/// may lose a count or briefly leave two rows for one TVar; the snapshot adds such rows together.
/// </remarks>
internal static class ConflictTable
{
    private const int Size = 256;
    private const int Window = 8;

    /// <summary>Bits of the hash that pick the first slot of a window: log2 of <see cref="Size"/>.</summary>
    private const int IndexBits = 8;

    private static readonly ConflictTableEntry?[] s_slots = new ConflictTableEntry?[Size];

    /// <summary>Counts one conflict on <paramref name="var"/>.</summary>
    internal static void Record(ITVar var)
    {
        ref TVarState state = ref TVarState.Of(var);
        long id = state.Id;

        // Fibonacci hashing: ids handed out in sequence land in windows far apart.
        int start = (int)(unchecked((ulong)id * 0x9E3779B97F4A7C15UL) >> (64 - IndexBits));

        // A replacement that loses its race means the window changed: look at it once more, then let the count go.
        for (int pass = 0; pass < 2; pass++)
        {
            ConflictTableEntry? weakest = null;
            int weakestSlot = start;
            for (int probe = 0; probe < Window; probe++)
            {
                int slot = (start + probe) & (Size - 1);
                ConflictTableEntry? entry = Volatile.Read(ref s_slots[slot]);
                if (entry is null)
                {
                    entry = Interlocked.CompareExchange(ref s_slots[slot], new ConflictTableEntry(id, state.Name), null);
                    if (entry is null)
                    {
                        return;
                    }
                }

                if (entry.Id == id)
                {
                    entry.Increment();
                    return;
                }

                if (weakest is null || entry.Count < weakest.Count)
                {
                    weakest = entry;
                    weakestSlot = slot;
                }
            }

            if (Interlocked.CompareExchange(ref s_slots[weakestSlot], new ConflictTableEntry(id, state.Name), weakest) == weakest)
            {
                return;
            }
        }
    }

    /// <summary>Every TVar in the table with its count, most conflicts first (ties by id).</summary>
    internal static List<TVarConflicts> Snapshot()
    {
        var counts = new Dictionary<long, (string? Name, long Count)>();
        for (int slot = 0; slot < Size; slot++)
        {
            ConflictTableEntry? entry = Volatile.Read(ref s_slots[slot]);
            if (entry is not null)
            {
                counts[entry.Id] = counts.TryGetValue(entry.Id, out var seen)
                    ? (entry.Name, seen.Count + entry.Count)
                    : (entry.Name, entry.Count);
            }
        }

        var rows = new List<TVarConflicts>(counts.Count);
        foreach ((long id, (string? name, long count)) in counts)
        {
            rows.Add(new TVarConflicts(new TVarInfo(id, name), count));
        }

        rows.Sort(static (a, b) => a.Conflicts != b.Conflicts ? b.Conflicts.CompareTo(a.Conflicts) : a.TVar.Id.CompareTo(b.TVar.Id));
        return rows;
    }
}
