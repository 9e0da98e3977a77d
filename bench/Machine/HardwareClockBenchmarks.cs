using BenchmarkDotNet.Attributes;
using Stm.Internal;

namespace Stm.Benchmarks.Machine;

/// <summary>
/// The floor of the hardware time base on this machine, with no STM around it: the fenced reading
/// every snapshot and every stamp takes, the unfenced one a commit takes before it unlocks, and the
/// full fence before a stamp, next to <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> (the
/// BCL's clock) and an uncontended <see cref="Interlocked.Increment(ref long)"/> (what one commit
/// on the counter writes).
/// </summary>
[MemoryDiagnoser]
public class HardwareClockBenchmarks
{
    private static long s_counter;

    [GlobalSetup]
    public void Setup()
    {
        if (!HardwareClock.CheckNow())
        {
            throw new InvalidOperationException($"This machine's check refused the hardware counter: {HardwareClock.Refusal}");
        }
    }

    [Benchmark(Baseline = true)]
    public long StopwatchTimestamp() => System.Diagnostics.Stopwatch.GetTimestamp();

    [Benchmark]
    public long FencedReading() => HardwareClock.ReadFenced();

    [Benchmark]
    public long UnfencedReading() => HardwareClock.ReadUnfenced();

    [Benchmark]
    public long FullFenceThenFencedReading()
    {
        Interlocked.MemoryBarrier();
        return HardwareClock.ReadFenced();
    }

    [Benchmark]
    public long InterlockedIncrement() => Interlocked.Increment(ref s_counter);
}
