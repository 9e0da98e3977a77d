using BenchmarkDotNet.Attributes;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Core;

/// <summary>
/// Two threads making random transfers among 1,000 accounts: transactions over
/// <see cref="TVar{T}"/> accounts against the same transfers under one global <see langword="lock"/>.
/// Reported per transfer (wall time of the round divided by all transfers of both threads), so
/// throughput is the inverse: target at least 0.5x the baseline's throughput, i.e. a Ratio of at
/// most 2.
/// </summary>
/// <remarks>
/// Each thread walks its own precomputed random plan (different seeds), the same plan on both
/// sides. Workers start each round behind a <see cref="Barrier"/> (<see cref="WorkerGroup"/>).
/// </remarks>
[MemoryDiagnoser]
public class RandomTransferThroughputBenchmarks
{
    private const int ThreadCount = 2;
    private const int AccountCount = 1000;
    private const int TransfersPerThread = 10_000;
    private const long InitialBalance = 1_000_000;

    private WorkerGroup _workers = null!;
    private TVar<long>[] _accounts = null!;
    private StmTransferCursor[] _stm = null!;
    private GlobalLockTransferCursor[] _locked = null!;
    private Action<int> _stmRound = null!;
    private Action<int> _lockRound = null!;

    /// <summary>Creates the accounts, one plan per thread, and starts the workers.</summary>
    /// <summary>The version clock's time base setting for this case (see docs/architecture.md, "The hardware time base").</summary>
    [ParamsSource(nameof(TimeBases))]
    public string TimeBase { get; set; } = "Adaptive";

    public static IEnumerable<string> TimeBases => TimeBaseSetting.All;

    [GlobalSetup]
    public void Setup()
    {
        TimeBaseSetting.Apply(TimeBase);
        _accounts = StmTransferCursor.CreateAccounts(AccountCount, InitialBalance);
        var balances = new long[AccountCount];
        Array.Fill(balances, InitialBalance);
        var gate = new Lock();
        _stm = new StmTransferCursor[ThreadCount];
        _locked = new GlobalLockTransferCursor[ThreadCount];
        for (int t = 0; t < ThreadCount; t++)
        {
            TransferPlan plan = TransferPlan.Create(AccountCount, TransfersPerThread, seed: 1_000 + t);
            _stm[t] = new StmTransferCursor(_accounts, plan);
            _locked[t] = new GlobalLockTransferCursor(balances, gate, plan);
        }

        // Rounds are created once here so that an invocation allocates nothing of its own.
        _stmRound = thread =>
        {
            StmTransferCursor cursor = _stm[thread];
            for (int i = 0; i < TransfersPerThread; i++)
            {
                cursor.TransferNext();
            }
        };
        _lockRound = thread =>
        {
            GlobalLockTransferCursor cursor = _locked[thread];
            for (int i = 0; i < TransfersPerThread; i++)
            {
                cursor.TransferNext();
            }
        };
        _workers = new WorkerGroup(ThreadCount);
    }

    /// <summary>Stops the workers and checks that the transfers conserved the total.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _workers.Dispose();
        long total = StmTransferCursor.Total(_accounts);
        if (total != AccountCount * InitialBalance)
        {
            throw new InvalidOperationException($"Transfers did not conserve money: total {total}, expected {AccountCount * InitialBalance}.");
        }
    }

    /// <summary>Baseline: both threads transfer under one global lock.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ThreadCount * TransfersPerThread)]
    public void GlobalLockTwoThreads() => _workers.Run(_lockRound);

    /// <summary>Both threads transfer in transactions.</summary>
    [Benchmark(OperationsPerInvoke = ThreadCount * TransfersPerThread)]
    public void AtomicRunTwoThreads() => _workers.Run(_stmRound);
}
