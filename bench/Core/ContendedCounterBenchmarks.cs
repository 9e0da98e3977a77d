using BenchmarkDotNet.Attributes;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Core;

/// <summary>
/// Two threads incrementing one shared counter: <see cref="TVar{T}"/> in transactions against a
/// field under a <see langword="lock"/>. Reported per increment (wall time of the whole round
/// divided by all increments of both threads). Target: at most 5x the baseline's wall time.
/// </summary>
/// <remarks>
/// The two worker threads are created once and start each round together behind a
/// <see cref="Barrier"/> (<see cref="WorkerGroup"/>), so thread start-up is not measured. Every
/// round also checks that no increment was lost.
/// </remarks>
[MemoryDiagnoser]
public class ContendedCounterBenchmarks
{
    private const int ThreadCount = 2;
    private const int IncrementsPerThread = 10_000;
    private const int IncrementsPerRound = ThreadCount * IncrementsPerThread;

    private static readonly TVar<long> s_counter = new(0, "shared-counter");
    private static readonly Func<long, long> s_addOne = static value => value + 1;
    private static readonly Action s_increment = static () => s_counter.Value++;
    private static readonly Action s_commuteIncrement = static () => s_counter.Commute(s_addOne);
    private static readonly Lock s_gate = new();
    private static long s_lockedCounter;

    private static readonly Action<int> s_lockRound = static _ =>
    {
        for (int i = 0; i < IncrementsPerThread; i++)
        {
            lock (s_gate)
            {
                s_lockedCounter++;
            }
        }
    };

    private static readonly Action<int> s_stmRound = static _ =>
    {
        for (int i = 0; i < IncrementsPerThread; i++)
        {
            Atomic.Run(s_increment);
        }
    };

    private static readonly Action<int> s_commuteRound = static _ =>
    {
        for (int i = 0; i < IncrementsPerThread; i++)
        {
            Atomic.Run(s_commuteIncrement);
        }
    };

    private WorkerGroup _workers = null!;

    /// <summary>Starts the two worker threads.</summary>
    [GlobalSetup]
    public void Setup() => _workers = new WorkerGroup(ThreadCount);

    /// <summary>Stops the worker threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => _workers.Dispose();

    /// <summary>Baseline: both threads increment a field under one lock.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = IncrementsPerRound)]
    public void LockTwoThreads()
    {
        long before = Volatile.Read(ref s_lockedCounter);
        _workers.Run(s_lockRound);
        CheckNoLostIncrement(before, Volatile.Read(ref s_lockedCounter));
    }

    /// <summary>Both threads increment the TVar, each increment its own transaction.</summary>
    [Benchmark(OperationsPerInvoke = IncrementsPerRound)]
    public void AtomicRunTwoThreads()
    {
        long before = s_counter.Value;
        _workers.Run(s_stmRound);
        CheckNoLostIncrement(before, s_counter.Value);
    }

    /// <summary>Both threads <c>Commute</c> the increment (commutes do not conflict with each other).</summary>
    [Benchmark(OperationsPerInvoke = IncrementsPerRound)]
    public void AtomicRunCommuteTwoThreads()
    {
        long before = s_counter.Value;
        _workers.Run(s_commuteRound);
        CheckNoLostIncrement(before, s_counter.Value);
    }

    private static void CheckNoLostIncrement(long before, long after)
    {
        if (after - before != IncrementsPerRound)
        {
            throw new InvalidOperationException($"Lost increments: expected {IncrementsPerRound}, counted {after - before}.");
        }
    }
}
