using BenchmarkDotNet.Attributes;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Core;

/// <summary>
/// Whether transactions on disjoint TVars run in parallel: two threads, each incrementing its own
/// <see cref="TVar{T}"/>, against one thread doing the same total work. Both report time per
/// increment, so the two-thread throughput gain is 1 / Ratio: target at least 1.6x, i.e. a Ratio
/// of at most 0.625. A lower gain means a hidden global serialisation point (or a machine with
/// fewer than two free cores).
/// </summary>
/// <remarks>
/// The two TVars are allocated with a live 128-byte array between them so that they do not share a
/// cache line: the benchmark looks for serialisation inside the engine, not for false sharing
/// between two adjacent user objects. Both sides run on <see cref="WorkerGroup"/> threads (one
/// worker against two) so they pay the same start-up and hand-off costs.
/// </remarks>
[MemoryDiagnoser]
public class DisjointScalingBenchmarks
{
    private const int IncrementsPerThread = 10_000;
    private const int TotalIncrements = 2 * IncrementsPerThread;

    private static readonly TVar<long> s_first = new(0, "disjoint-0");
    private static readonly byte[] s_padding = new byte[128];
    private static readonly TVar<long> s_second = new(0, "disjoint-1");
    private static readonly Action[] s_incrementers =
    [
        static () => s_first.Value++,
        static () => s_second.Value++,
    ];

    private static readonly Action<int> s_ownTVarRound = static thread =>
    {
        Action increment = s_incrementers[thread];
        for (int i = 0; i < IncrementsPerThread; i++)
        {
            Atomic.Run(increment);
        }
    };

    private static readonly Action<int> s_bothTVarsRound = static _ =>
    {
        s_ownTVarRound(0);
        s_ownTVarRound(1);
    };

    private WorkerGroup _oneWorker = null!;
    private WorkerGroup _twoWorkers = null!;

    /// <summary>The version clock's time base setting for this case (see docs/architecture.md, "The hardware time base").</summary>
    [ParamsSource(nameof(TimeBases))]
    public string TimeBase { get; set; } = "Adaptive";

    public static IEnumerable<string> TimeBases => TimeBaseSetting.All;

    /// <summary>Applies the time base and starts the worker threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TimeBaseSetting.Apply(TimeBase);
        GC.KeepAlive(s_padding);
        _oneWorker = new WorkerGroup(1);
        _twoWorkers = new WorkerGroup(2);
    }

    /// <summary>Stops the worker threads.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _oneWorker.Dispose();
        _twoWorkers.Dispose();
    }

    /// <summary>Baseline: one thread increments both TVars, one after the other.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = TotalIncrements)]
    public void OneThreadBothTVars() => RunAndCheck(_oneWorker, s_bothTVarsRound);

    /// <summary>Two threads, each incrementing its own TVar.</summary>
    [Benchmark(OperationsPerInvoke = TotalIncrements)]
    public void TwoThreadsOwnTVar() => RunAndCheck(_twoWorkers, s_ownTVarRound);

    /// <summary>Runs a round; two reads per 20,000 increments check that each TVar got all of its own.</summary>
    private static void RunAndCheck(WorkerGroup workers, Action<int> round)
    {
        (long first, long second) = (s_first.Value, s_second.Value);
        workers.Run(round);
        (long firstAdded, long secondAdded) = (s_first.Value - first, s_second.Value - second);
        if (firstAdded != IncrementsPerThread || secondAdded != IncrementsPerThread)
        {
            throw new InvalidOperationException($"Lost increments: {firstAdded} and {secondAdded}, expected {IncrementsPerThread} each.");
        }
    }
}
