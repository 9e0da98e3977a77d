using System.Collections.Concurrent;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>Outside a transaction every TVar member is one atomic operation, even under contention.</summary>
[Trait("Category", "Stress")]
public sealed class TVarContentionTests
{
    private const int Threads = 6;
    private const int PerThread = 3_000;

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

    [Fact]
    public void Value_OutsideTransactionOnALargeStruct_IsNeverTorn()
    {
        var wide = new TVar<(long A, long B, long C, long D)>((0, 0, 0, 0));
        int stop = 0;
        long torn = 0;
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, thread =>
        {
            start.SignalAndWait(Bounded.Limit);
            if (thread < 2)
            {
                for (long i = 1; i <= PerThread * 4; i++)
                {
                    long v = (i * 2) + thread;
                    wide.Write((v, v, v, v));
                }

                Interlocked.Increment(ref stop);
            }
            else
            {
                while (Volatile.Read(ref stop) < 2)
                {
                    var (a, b, c, d) = wide.Value;
                    if (a != b || b != c || c != d)
                    {
                        Interlocked.Increment(ref torn);
                    }
                }
            }
        });

        Assert.Equal(0, Interlocked.Read(ref torn));
    }
}
