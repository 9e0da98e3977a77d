using BenchmarkDotNet.Attributes;

namespace Stm.Benchmarks.Machine;

/// <summary>
/// The least an increment transaction of this design can cost on the machine, written out by hand
/// with no STM library: one thread-static lookup for the current transaction, a snapshot read of
/// the clock, a read-set and a write-set entry, a new 40-byte version node, the commit lock (a CAS),
/// the write stamp (an <see cref="Interlocked.Increment(ref long)"/> of the clock), publication and
/// unlock. Next to the <c>lock</c> baseline of <see cref="Core.IncrementBenchmarks"/>, it shows how
/// much of the 2x target the protocol itself leaves for everything else (the body delegate, the two
/// further thread-static lookups of <c>Value</c>'s getter and setter, checks, handlers, metrics).
/// <see cref="MinimalSoleIncrementCommit"/> is the floor of the sole commit, which replaces the
/// lock and the clock increment by one CAS of the clock whenever nobody committed since the snapshot.
/// </summary>
[MemoryDiagnoser]
public class CommitFloorBenchmarks
{
    [ThreadStatic]
    private static Log? t_log;

    private static readonly Lock s_gate = new();
    private static readonly Cell s_cell = new() { Current = new Node() };
    private static long s_lockedCounter;
    private static long s_clock;
    private static long s_soleClock;

    [Benchmark(Baseline = true)]
    public void LockIncrement()
    {
        lock (s_gate)
        {
            s_lockedCounter++;
        }
    }

    /// <summary>The protocol's steps for one increment, and nothing else.</summary>
    [Benchmark]
    public long MinimalIncrementCommit()
    {
        Log log = t_log ??= new Log();
        Cell cell = s_cell;
        log.ReadVersion = Volatile.Read(ref s_clock);
        Node current = Volatile.Read(ref cell.Current);
        log.Read = (cell, current);
        var node = new Node { Value = current.Value + 1 };
        log.Write = (cell, node);
        if (Interlocked.CompareExchange(ref cell.LockWord, 1, 0) != 0)
        {
            throw new InvalidOperationException("Nobody else takes this lock.");
        }

        node.Stamp = Interlocked.Increment(ref s_clock);
        current.Older = null;
        Volatile.Write(ref cell.Current, node);
        Volatile.Write(ref cell.LockWord, 0);
        log.Read = default;
        log.Write = default;
        return node.Value;
    }

    /// <summary>
    /// The same steps as a sole commit takes them (the path of every update that finds the clock
    /// where its snapshot left it): one CAS takes the clock to an odd value, publication, a plain
    /// store releases it with the next even stamp. One atomic instruction instead of two.
    /// </summary>
    [Benchmark]
    public long MinimalSoleIncrementCommit()
    {
        Log log = t_log ??= new Log();
        Cell cell = s_cell;
        long readVersion = Volatile.Read(ref s_soleClock);
        log.ReadVersion = readVersion;
        Node current = Volatile.Read(ref cell.Current);
        log.Read = (cell, current);
        var node = new Node { Value = current.Value + 1 };
        log.Write = (cell, node);
        if (Interlocked.CompareExchange(ref s_soleClock, readVersion + 1, readVersion) != readVersion)
        {
            throw new InvalidOperationException("Nobody else moves this clock.");
        }

        node.Stamp = readVersion + 2;
        node.Older = current;
        Volatile.Write(ref cell.Current, node);
        Volatile.Write(ref s_soleClock, readVersion + 2);
        current.Older = null;
        log.Read = default;
        log.Write = default;
        return node.Value;
    }

    /// <summary>The two atomic instructions alone: the commit lock and the clock.</summary>
    [Benchmark]
    public long TwoAtomics()
    {
        Cell cell = s_cell;
        Interlocked.CompareExchange(ref cell.LockWord, 1, 0);
        long stamp = Interlocked.Increment(ref s_clock);
        Volatile.Write(ref cell.LockWord, 0);
        return stamp;
    }

    /// <summary>A version node: stamp, link to the older version, value (40 bytes for a long).</summary>
    private sealed class Node
    {
        public long Stamp;
        public Node? Older;
        public long Value;
    }

    private sealed class Cell
    {
        public Node Current = null!;
        public int LockWord;
    }

    private sealed class Log
    {
        public long ReadVersion;
        public (Cell Var, Node Version) Read;
        public (Cell Var, Node Version) Write;
    }
}
