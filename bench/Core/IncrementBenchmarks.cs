using BenchmarkDotNet.Attributes;

namespace Stm.Benchmarks.Core;

/// <summary>
/// Incrementing one <see cref="TVar{T}"/> against a <see langword="lock"/> increment.
/// Targets: at most 2x the baseline with a static lambda (at most 40 bytes allocated), at most 3x with
/// a capturing lambda.
/// </summary>
/// <remarks>
/// The static variants' delegates are cached in static readonly fields: the STM side allocates only
/// what the engine allocates. <see cref="AtomicRunIncrementCapturing"/> is the shape users write,
/// <c>Atomic.Run(() =&gt; _counter.Value++)</c> on an instance field: the lambda captures
/// <see langword="this"/>, so every call also allocates its delegate. <see cref="InterlockedIncrement"/>
/// is shown for reference (the cheapest possible increment, with no composition at all).
/// </remarks>
[MemoryDiagnoser]
public class IncrementBenchmarks
{
    private static readonly TVar<long> s_counter = new(0, "counter");
    private static readonly Func<long, long> s_addOne = static value => value + 1;
    private static readonly Action s_increment = static () => s_counter.Value++;
    private static readonly Action s_commuteIncrement = static () => s_counter.Commute(s_addOne);
    private static readonly Lock s_gate = new();
    private static long s_lockedCounter;
    private static long s_interlockedCounter;
    private readonly TVar<long> _counter = new(0, "instance-counter");

    /// <summary>
    /// Checks that each STM increment adds exactly one (the measured loops cannot count their own
    /// invocations cheaply, so this runs each once more and looks at the difference).
    /// </summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        long before = s_counter.Read();
        AtomicRunIncrement();
        long afterRun = ModifyOutsideTransaction();
        AtomicRunCommute();
        long afterCommute = s_counter.Read();
        if (afterRun != before + 2 || afterCommute != before + 3)
        {
            throw new InvalidOperationException($"Increments from {before}: Atomic.Run and Modify gave {afterRun} (expected {before + 2}), Commute then {afterCommute} (expected {before + 3}).");
        }

        long instanceBefore = _counter.Read();
        long returned = AtomicRunIncrementCapturing();
        if (returned != instanceBefore || _counter.Read() != instanceBefore + 1)
        {
            throw new InvalidOperationException($"The capturing increment from {instanceBefore} returned {returned} and left {_counter.Read()} (expected {instanceBefore + 1}).");
        }
    }

    /// <summary>Baseline: increment a field under a lock.</summary>
    [Benchmark(Baseline = true)]
    public void LockIncrement()
    {
        lock (s_gate)
        {
            s_lockedCounter++;
        }
    }

    /// <summary><c>Atomic.Run(() =&gt; counter.Value++)</c>.</summary>
    [Benchmark]
    public void AtomicRunIncrement() => Atomic.Run(s_increment);

    /// <summary>
    /// <c>Atomic.Run(() =&gt; _counter.Value++)</c> as users write it: the lambda captures
    /// <see langword="this"/> and is allocated on every call.
    /// </summary>
    [Benchmark]
    public long AtomicRunIncrementCapturing() => Atomic.Run(() => _counter.Value++);

    /// <summary><c>counter.Modify(v =&gt; v + 1)</c> outside a transaction (its own atomic transaction).</summary>
    /// <summary>The same update without a delegate per call: the TVar travels as state to a static lambda (<see cref="Transactional.Run{TState, TResult}(TState, Func{TState, TResult})"/>).</summary>
    [Benchmark]
    public long TransactionalRunIncrementWithState() => Transactional.Run(_counter, static counter => counter.Value++);

    [Benchmark]
    public long ModifyOutsideTransaction() => s_counter.Modify(s_addOne);

    /// <summary><c>Atomic.Run(() =&gt; counter.Commute(v =&gt; v + 1))</c>.</summary>
    [Benchmark]
    public void AtomicRunCommute() => Atomic.Run(s_commuteIncrement);

    /// <summary>Reference: <see cref="Interlocked.Increment(ref long)"/>.</summary>
    [Benchmark]
    public long InterlockedIncrement() => Interlocked.Increment(ref s_interlockedCounter);
}
