using System.Collections.Concurrent;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>Outside a transaction every TVar member is one atomic operation, even under contention.</summary>
[Trait("Category", "Stress")]
public sealed class TVarContentionTests
{
    private const int Threads = 6;
    private const int PerThread = 5_000;

    [Fact]
    public void Modify_OutsideTransactionFromManyThreads_LosesNoUpdate()
    {
        var counter = new TVar<int>(0);
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, _ =>
        {
            start.SignalAndWait(Bounded.Limit);
            for (int i = 0; i < PerThread; i++)
            {
                counter.Modify(v => v + 1);
            }
        });

        Assert.Equal(Threads * PerThread, counter.Value);
    }

    [Fact]
    public void CompareAndSwap_OutsideTransactionLoopFromManyThreads_LosesNoUpdate()
    {
        var counter = new TVar<int>(0);
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, _ =>
        {
            start.SignalAndWait(Bounded.Limit);
            for (int i = 0; i < PerThread; i++)
            {
                int seen;
                do
                {
                    seen = counter.Value;
                }
                while (!counter.CompareAndSwap(seen, seen + 1));
            }
        });

        Assert.Equal(Threads * PerThread, counter.Value);
    }

    [Fact]
    public void Swap_OutsideTransactionFromManyThreads_ReturnsEveryValueExactlyOnce()
    {
        var slot = new TVar<int>(-1);
        var returned = new ConcurrentBag<int>();
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, thread =>
        {
            start.SignalAndWait(Bounded.Limit);
            for (int i = 0; i < PerThread; i++)
            {
                returned.Add(slot.Swap((thread * PerThread) + i));
            }
        });

        // Each value written is returned by exactly one later Swap, or is the final value.
        var all = returned.Append(slot.Value).Order().ToArray();
        Assert.Equal(Enumerable.Range(-1, (Threads * PerThread) + 1), all);
    }
}
