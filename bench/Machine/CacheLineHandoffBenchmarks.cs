using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Machine;

/// <summary>
/// What the machine charges when a cache line moves between two cores, with no STM involved: the
/// yardstick for every two-thread figure. A transaction that commits touches the global version
/// clock and the TVars it writes; when another core wrote one of those lines since, the line has
/// to travel. On the 2-core development VM one such trip costs about 250 ns, more than a whole
/// uncontended increment transaction, so two-thread ratios there mostly measure the VM.
/// </summary>
[MemoryDiagnoser]
public class CacheLineHandoffBenchmarks
{
    private const int Operations = 20_000;

    private static Counters s_counters;

    /// <summary>Per worker: the next turn it waits for in the ping-pong (worker 0 even turns, worker 1 odd).</summary>
    private static readonly long[] s_nextTurn = new long[2 * 16];

    private static readonly Action<int> s_oneThreadOwnLine = static _ =>
    {
        for (int i = 0; i < Operations; i++)
        {
            Volatile.Write(ref s_counters.First, s_counters.First + 1);
        }
    };

    private static readonly Action<int> s_pingPong = static worker =>
    {
        // Each turn hands the line to the other core: one one-way trip per operation.
        long turn = s_nextTurn[worker * 16];
        for (int i = 0; i < Operations / 2; i++)
        {
            while (Volatile.Read(ref s_counters.Turn) != turn)
            {
                Thread.SpinWait(1);
            }

            Volatile.Write(ref s_counters.Turn, turn + 1);
            turn += 2;
        }

        s_nextTurn[worker * 16] = turn;
    };

    private static readonly Action<int> s_sharedInterlocked = static _ =>
    {
        for (int i = 0; i < Operations / 2; i++)
        {
            Interlocked.Increment(ref s_counters.Shared);
        }
    };

    private static readonly Action<int> s_ownInterlocked = static worker =>
    {
        ref long own = ref worker == 0 ? ref s_counters.First : ref s_counters.Second;
        for (int i = 0; i < Operations / 2; i++)
        {
            Interlocked.Increment(ref own);
        }
    };

    private WorkerGroup _oneWorker = null!;
    private WorkerGroup _twoWorkers = null!;

    [GlobalSetup]
    public void Setup()
    {
        _oneWorker = new WorkerGroup(1);
        _twoWorkers = new WorkerGroup(2);
        s_counters.Turn = 0;
        s_nextTurn[0] = 0;
        s_nextTurn[16] = 1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oneWorker.Dispose();
        _twoWorkers.Dispose();
    }

    /// <summary>One thread writing a line nobody else touches.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void OneThreadOwnLine() => _oneWorker.Run(s_oneThreadOwnLine);

    /// <summary>Two threads taking turns on one line: the one-way trip of a line between the cores.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public void TwoThreadsTakingTurns() => _twoWorkers.Run(s_pingPong);

    /// <summary>Two threads incrementing one counter (each keeps the line for a burst of increments).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public void TwoThreadsOneInterlockedCounter() => _twoWorkers.Run(s_sharedInterlocked);

    /// <summary>Two threads each incrementing a counter on its own line: what two cores give with nothing shared.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public void TwoThreadsOwnInterlockedCounters() => _twoWorkers.Run(s_ownInterlocked);

    /// <summary>Four counters on four separate cache lines.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 512)]
    private struct Counters
    {
        [FieldOffset(64)]
        public long First;

        [FieldOffset(192)]
        public long Second;

        [FieldOffset(320)]
        public long Shared;

        [FieldOffset(448)]
        public long Turn;
    }
}
