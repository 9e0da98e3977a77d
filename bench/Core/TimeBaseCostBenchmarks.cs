using BenchmarkDotNet.Attributes;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Core;

/// <summary>
/// What one thread pays for each time base setting: an increment and a read-only transaction
/// (cached static bodies) against a <c>lock</c> increment, with the clock on the counter, on the
/// hardware counter, or adaptive (which stays on the counter while one thread commits). The
/// hardware time base reads the processor's counter, fenced, for every snapshot and every stamp,
/// and once more before a commit unlocks; <see cref="Machine.HardwareClockBenchmarks"/> prices
/// those readings alone.
/// </summary>
[MemoryDiagnoser]
public class TimeBaseCostBenchmarks
{
    private static readonly TVar<long> s_counter = new(0, "time-base-counter");
    private static readonly Action s_increment = static () => s_counter.Value++;
    private static readonly Func<long> s_read = static () => s_counter.Value;
    private static readonly Lock s_gate = new();
    private static long s_lockedCounter;

    /// <summary>The version clock's time base setting for this case.</summary>
    [ParamsSource(nameof(TimeBases))]
    public string TimeBase { get; set; } = "Adaptive";

    public static IEnumerable<string> TimeBases => TimeBaseSetting.All;

    [GlobalSetup]
    public void Setup() => TimeBaseSetting.Apply(TimeBase);

    [GlobalCleanup]
    public void Cleanup()
    {
        long before = AtomicRunRead();
        AtomicRunIncrement();
        if (AtomicRunRead() != before + 1)
        {
            throw new InvalidOperationException($"An increment from {before} left {AtomicRunRead()} on the {TimeBase} time base.");
        }
    }

    [Benchmark(Baseline = true)]
    public void LockIncrement()
    {
        lock (s_gate)
        {
            s_lockedCounter++;
        }
    }

    [Benchmark]
    public void AtomicRunIncrement() => Atomic.Run(s_increment);

    [Benchmark]
    public long AtomicRunRead() => Atomic.Run(s_read);
}
