using BenchmarkDotNet.Attributes;

namespace Stm.Benchmarks.Core;

/// <summary>
/// Commit cost while a long transaction is open: 10,000 increments of a fresh <see cref="TVar{T}"/>,
/// with and without another thread holding a read-only transaction open (an audit, a report, or
/// simply a thread preempted in the middle of a transaction). Reported per increment, against
/// <see langword="lock"/> increments. The open transaction reads an unrelated TVar, so it never
/// needs more than one old version of the incremented one: the two STM variants should cost the
/// same.
/// </summary>
/// <remarks>
/// The open transaction is started in a setup that targets only the "while open" benchmark and
/// stays open until its cleanup; each invocation increments a new TVar, so every invocation starts
/// from a one-version TVar.
/// </remarks>
[MemoryDiagnoser]
public class OpenSnapshotCommitBenchmarks
{
    private const int Increments = 10_000;

    private readonly TVar<long> _unrelated = new(0, "unrelated");
    private readonly ManualResetEventSlim _opened = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly Lock _gate = new();
    private long _lockedCounter;
    private Thread? _reader;

    /// <summary>Starts a thread that opens a read-only transaction and keeps it open.</summary>
    [GlobalSetup(Target = nameof(AtomicRunIncrementsWhileSnapshotOpen))]
    public void OpenSnapshot()
    {
        _reader = new Thread(() => Atomic.Run(() =>
        {
            long value = _unrelated.Value;
            _opened.Set();
            _release.Wait();
            return value;
        }))
        { IsBackground = true, Name = "open-snapshot" };
        _reader.Start();
        if (!_opened.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("The reader did not open its transaction within 30 s.");
        }
    }

    /// <summary>Lets the open transaction finish.</summary>
    [GlobalCleanup(Target = nameof(AtomicRunIncrementsWhileSnapshotOpen))]
    public void CloseSnapshot()
    {
        _release.Set();
        _reader?.Join();
    }

    /// <summary>Baseline: increments of a field under a lock.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Increments)]
    public long LockIncrements()
    {
        for (int i = 0; i < Increments; i++)
        {
            lock (_gate)
            {
                _lockedCounter++;
            }
        }

        return _lockedCounter;
    }

    /// <summary>Increments of a fresh TVar in transactions, nothing else running.</summary>
    [Benchmark(OperationsPerInvoke = Increments)]
    public long AtomicRunIncrements() => IncrementFreshTVar();

    /// <summary>The same while another thread's read-only transaction stays open.</summary>
    [Benchmark(OperationsPerInvoke = Increments)]
    public long AtomicRunIncrementsWhileSnapshotOpen() => IncrementFreshTVar();

    private static long IncrementFreshTVar()
    {
        var counter = new TVar<long>(0, "fresh");
        Action increment = () => counter.Value++;   // one closure per 10,000 increments
        for (int i = 0; i < Increments; i++)
        {
            Atomic.Run(increment);
        }

        // One read per 10,000 increments: a lost increment fails the run.
        long total = counter.Value;
        if (total != Increments)
        {
            throw new InvalidOperationException($"Lost increments: {total} of {Increments}.");
        }

        return total;
    }
}
