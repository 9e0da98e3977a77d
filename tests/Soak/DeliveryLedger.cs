namespace Stm.Soak;

/// <summary>
/// Records which item ids were produced and which were delivered, one bit each, so that "every item
/// delivered exactly once" can be checked for millions of items. Thread-safe; ids start at 1.
/// </summary>
internal sealed class DeliveryLedger
{
    /// <summary>Bits per chunk (chunks are allocated as ids reach them).</summary>
    private const int ChunkBits = 1 << 16;

    /// <summary>Guards growth of the chunk tables.</summary>
    private readonly Lock _growLock = new();

    /// <summary>Produced bits, chunked.</summary>
    private long[]?[] _produced = new long[16][];

    /// <summary>Delivered bits, chunked.</summary>
    private long[]?[] _delivered = new long[16][];

    /// <summary>The highest id passed to <see cref="MarkProduced"/>.</summary>
    private long _maxId;

    /// <summary>Records that item <paramref name="id"/> was committed into the structure.</summary>
    /// <param name="id">The item id.</param>
    public void MarkProduced(long id)
    {
        _ = Set(ref _produced, id);
        long seen;
        while (id > (seen = Interlocked.Read(ref _maxId)) && Interlocked.CompareExchange(ref _maxId, id, seen) != seen)
        {
        }
    }

    /// <summary>Records that item <paramref name="id"/> was taken out of the structure.</summary>
    /// <param name="id">The item id.</param>
    /// <returns><see langword="false"/> if it had already been delivered (a duplicate).</returns>
    public bool MarkDelivered(long id) => Set(ref _delivered, id);

    /// <summary>Compares the two sets and describes the first differences.</summary>
    /// <param name="name">The structure's name for messages.</param>
    /// <returns>The problems found (empty if every produced item was delivered exactly once).</returns>
    public List<string> Compare(string name)
    {
        var problems = new List<string>();
        long lost = 0;
        long phantom = 0;
        long maxId = Interlocked.Read(ref _maxId);
        for (long id = 1; id <= maxId + ChunkBits; id++)
        {
            bool produced = Get(_produced, id);
            bool delivered = Get(_delivered, id);
            if (produced && !delivered && lost++ < 3)
            {
                problems.Add($"{name}: item {id} was produced but never delivered");
            }
            else if (!produced && delivered && phantom++ < 3)
            {
                problems.Add($"{name}: item {id} was delivered but never produced (an aborted enqueue leaked)");
            }
        }

        if (lost > 3 || phantom > 3)
        {
            problems.Add($"{name}: {lost} lost and {phantom} phantom item(s) in all");
        }

        return problems;
    }

    private static bool Get(long[]?[] table, long id)
    {
        long chunk = id / ChunkBits;
        if (chunk >= table.Length || table[chunk] is not { } bits)
        {
            return false;
        }

        int bit = (int)(id % ChunkBits);
        return (Volatile.Read(ref bits[bit >> 6]) & (1L << (bit & 63))) != 0;
    }

    private bool Set(ref long[]?[] table, long id)
    {
        long chunk = id / ChunkBits;
        long[]?[] current = Volatile.Read(ref table);
        long[]? bits = chunk < current.Length ? Volatile.Read(ref current[chunk]) : null;
        bits ??= Grow(ref table, chunk);
        int bit = (int)(id % ChunkBits);
        long mask = 1L << (bit & 63);
        return (Interlocked.Or(ref bits[bit >> 6], mask) & mask) == 0;
    }

    private long[] Grow(ref long[]?[] table, long chunk)
    {
        lock (_growLock)
        {
            if (chunk >= table.Length)
            {
                var bigger = new long[]?[Math.Max(table.Length * 2, (int)chunk + 1)];
                Array.Copy(table, bigger, table.Length);
                Volatile.Write(ref table, bigger);
            }

            if (table[chunk] is not { } bits)
            {
                bits = new long[ChunkBits / 64];
                Volatile.Write(ref table[chunk], bits);
            }

            return bits;
        }
    }
}
