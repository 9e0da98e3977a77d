using BenchmarkDotNet.Attributes;

namespace Stm.Benchmarks.Machine;

/// <summary>
/// The least a read-only transaction of one TVar can cost in this design, written out by hand with
/// no STM library, next to the target's baseline (a field read under <c>lock</c>) and the engine's
/// own <c>Atomic.Run(() =&gt; tvar.Value)</c>: one thread-static lookup for the current transaction,
/// a read of the clock word with its time-base test, the snapshot published in the thread's slot (a
/// plain store: the engine publishes without a fence), a read of the newest version with its stamp
/// check, a read-set entry, and the slot's release (a plain store).
/// </summary>
[MemoryDiagnoser]
public class ReadOnlyFloorBenchmarks
{
    private const long Expected = 42;

    /// <summary>The clock's mode bit (as the engine's: the top bit below the sign).</summary>
    private const long HardwareMode = 1L << 62;

    private const long Inactive = long.MaxValue;

    [ThreadStatic]
    private static Log? t_log;

    private static readonly Lock s_gate = new();
    private static readonly Cell s_cell = new() { Current = new Node { Stamp = 2, Value = Expected } };
    private static readonly TVar<long> s_value = new(Expected, "value");
    private static readonly Func<long> s_readValue = static () => s_value.Value;
    private static long s_lockedValue;
    private static long s_clock;

    /// <summary>Sets the locked field and the clock (fields that are written, so the JIT cannot fold their reads).</summary>
    [GlobalSetup]
    public void Setup()
    {
        lock (s_gate)
        {
            s_lockedValue = Expected;
        }

        Volatile.Write(ref s_clock, 2);
    }

    /// <summary>Checks that every read returns the value (a broken floor fails the run).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        (long locked, long floor, long atomic) = (LockRead(), MinimalReadOnlyTransaction(), AtomicRunRead());
        if (locked != Expected || floor != Expected || atomic != Expected)
        {
            throw new InvalidOperationException($"Reads returned {locked} (lock), {floor} (floor), {atomic} (Atomic.Run), expected {Expected}.");
        }
    }

    /// <summary>Baseline: read a field under a lock.</summary>
    [Benchmark(Baseline = true)]
    public long LockRead()
    {
        lock (s_gate)
        {
            return s_lockedValue;
        }
    }

    /// <summary>The protocol's steps for a read-only transaction of one TVar, and nothing else.</summary>
    [Benchmark]
    public long MinimalReadOnlyTransaction()
    {
        Log log = t_log ??= new Log();
        long word = Volatile.Read(ref s_clock);
        if ((word & HardwareMode) != 0)
        {
            throw new InvalidOperationException("This clock never leaves the counter.");
        }

        Volatile.Write(ref log.Snapshot, word);
        Cell cell = s_cell;
        Node current = Volatile.Read(ref cell.Current);
        if (current.Stamp > word)
        {
            throw new InvalidOperationException("Nobody writes this cell.");
        }

        log.Read = (cell, current);
        long value = current.Value;
        Volatile.Write(ref log.Snapshot, Inactive);
        log.Read = default;
        return value;
    }

    /// <summary><c>Atomic.Run(() =&gt; tvar.Value)</c> with a cached static lambda, as in <see cref="Core.ReadOnlyTransactionBenchmarks"/>.</summary>
    [Benchmark]
    public long AtomicRunRead() => Atomic.Run(s_readValue);

    private sealed class Node
    {
        public long Stamp;
        public long Value;
    }

    private sealed class Cell
    {
        public Node Current = null!;
    }

    /// <summary>The thread's transaction: its published snapshot (the slot) and its read set of one.</summary>
    private sealed class Log
    {
        public long Snapshot = Inactive;
        public (Cell Var, Node Version) Read;
    }
}
