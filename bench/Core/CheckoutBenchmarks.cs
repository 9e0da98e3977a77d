using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Stm.Benchmarks.Core;

/// <summary>
/// Checkouts (<see cref="Atomic.Checkout"/>) against what a user would write instead.
/// <list type="bullet">
/// <item>Sync category: a checkout with one read, one write and no await, committed by hand, against
/// <c>Atomic.Run(() =&gt; x.Value++)</c> (baseline). Target: at most 2x.</item>
/// <item>Async category: <c>Atomic.RunAsync</c> with a checkout body that reads, awaits
/// <see cref="Task.Yield"/> and writes, against the same update under
/// <see cref="SemaphoreSlim.WaitAsync()"/> with the same yield (baseline). Target: at most 1.5x.</item>
/// </list>
/// </summary>
/// <remarks>
/// One caller, so nothing conflicts: this is the fixed cost of holding a transaction in a
/// <see cref="Checkout"/> object instead of on a thread. Every delegate is static and cached in a
/// static readonly field. Under contention, see the optimistic-concurrency harness
/// (<c>--optimistic</c>).
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CheckoutBenchmarks
{
    private const string Sync = "Sync";
    private const string Async = "Async";

    private static readonly TVar<long> s_counter = new(0, "counter");
    private static readonly Action s_increment = static () => s_counter.Value++;

    private static readonly Func<Checkout, CancellationToken, ValueTask> s_yieldingIncrement = static async (checkout, _) =>
    {
        long value = checkout.Read(s_counter);
        await Task.Yield();
        checkout.Write(s_counter, value + 1);
    };

    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static long s_guardedCounter;

    /// <summary>Baseline (sync): <c>Atomic.Run(() =&gt; counter.Value++)</c>.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Sync)]
    public void AtomicRunIncrement() => Atomic.Run(s_increment);

    /// <summary><c>using var c = Atomic.Checkout(); c.Write(x, c.Read(x) + 1); c.Commit();</c></summary>
    [Benchmark]
    [BenchmarkCategory(Sync)]
    public void CheckoutIncrement()
    {
        using Checkout checkout = Atomic.Checkout();
        checkout.Write(s_counter, checkout.Read(s_counter) + 1);
        checkout.Commit();
    }

    /// <summary>Baseline (async): read, <c>await Task.Yield()</c>, write, under <see cref="SemaphoreSlim.WaitAsync()"/>.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Async)]
    public async Task SemaphoreYieldingIncrement()
    {
        await s_gate.WaitAsync().ConfigureAwait(false);
        try
        {
            long value = s_guardedCounter;
            await Task.Yield();
            s_guardedCounter = value + 1;
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <summary><c>await Atomic.RunAsync(async (c, ct) =&gt; { var v = c.Read(x); await Task.Yield(); c.Write(x, v + 1); })</c>.</summary>
    [Benchmark]
    [BenchmarkCategory(Async)]
    public async Task RunAsyncCheckoutYieldingIncrement() => await Atomic.RunAsync(s_yieldingIncrement).ConfigureAwait(false);
}
