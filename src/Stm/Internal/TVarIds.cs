namespace Stm.Internal;

/// <summary>
/// Hands out the process-unique TVar ids that fix the order in which commit locks are taken.
/// </summary>
/// <remarks>
/// Each thread reserves a block of ids at a time, so creating a TVar costs no atomic operation on a
/// shared counter (queues create one per enqueue, and producers on several threads would otherwise
/// contend on that counter's cache line). Ids only need to be unique; their order is arbitrary.
/// </remarks>
internal static class TVarIds
{
    /// <summary>Ids reserved per thread at a time.</summary>
    private const long BlockSize = 1024;

    /// <summary>The last id reserved by any thread.</summary>
    private static long s_lastReserved;

    /// <summary>The last id this thread handed out.</summary>
    [ThreadStatic]
    private static long t_last;

    /// <summary>The last id of this thread's current block.</summary>
    [ThreadStatic]
    private static long t_blockEnd;

    internal static long Next()
    {
        long last = t_last;
        if (last == t_blockEnd)
        {
            return NextBlock();
        }

        t_last = last + 1;
        return last + 1;
    }

    private static long NextBlock()
    {
        long end = Interlocked.Add(ref s_lastReserved, BlockSize);
        long first = end - BlockSize + 1;
        t_blockEnd = end;
        t_last = first;
        return first;
    }
}
