using Xunit;

namespace Stm.Tests.Unit.Core;

[Trait("Category", "Stress")]
public sealed class CommuteStressTests
{
    private const int Threads = 8;
    private const int PerThread = 3_000;

    [Fact]
    public void Commute_ConcurrentInsideTransactions_ProduceExactTotal()
    {
        var counter = new TVar<long>(0, "commute-total");
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, _ =>
        {
            start.SignalAndWait(Bounded.Limit);
            for (int i = 0; i < PerThread; i++)
            {
                Atomic.Run(() => counter.Commute(v => v + 1));
            }
        });

        Assert.Equal(Threads * PerThread, counter.Value);
    }

    [Fact]
    public void Commute_ConcurrentCommuteOnlyTransactions_NeverConflictOrReRunTheirBodies()
    {
        // docs/reference.md: concurrent commutes on the same TVar do not conflict with each other. A
        // transaction that only commutes read nothing, so nothing can invalidate it: its body
        // must run exactly once, however contended the TVar's commit lock is.
        var counter = new TVar<long>(0, "commute-no-conflict");
        using var start = new Barrier(Threads);
        long bodyRuns = 0;
        long conflicts = 0;

        TestThread.RunAll(Threads, _ =>
        {
            long conflictsBefore = Stm.Internal.TransactionStatistics.Conflicts;
            start.SignalAndWait(Bounded.Limit);
            for (int i = 0; i < PerThread; i++)
            {
                Atomic.Run(() =>
                {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
                    Interlocked.Increment(ref bodyRuns);
#pragma warning restore STM0003
                    counter.Commute(v => v + 1);
                });
            }

            Interlocked.Add(ref conflicts, Stm.Internal.TransactionStatistics.Conflicts - conflictsBefore);
        });

        Assert.Equal(Threads * PerThread, counter.Value);
        Assert.True(
            Interlocked.Read(ref bodyRuns) == Threads * PerThread,
            $"{Interlocked.Read(ref bodyRuns) - (Threads * PerThread)} commute-only bodies were re-run; "
            + $"TransactionStatistics counted {Interlocked.Read(ref conflicts)} conflicts.");
    }

    [Fact]
    public void Commute_ConcurrentOutsideTransactions_ProduceExactTotal()
    {
        var counter = new TVar<long>(0);
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, _ =>
        {
            start.SignalAndWait(Bounded.Limit);
            for (int i = 0; i < PerThread; i++)
            {
                counter.Commute(v => v + 1);
            }
        });

        Assert.Equal(Threads * PerThread, counter.Value);
    }

    [Fact]
    public void Commute_MixedWithReadersAndWriters_TotalIsExact()
    {
        // Half the threads commute +1; the other half do read-modify-write +1 on the same TVar.
        var counter = new TVar<long>(0);
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, thread =>
        {
            start.SignalAndWait(Bounded.Limit);
            for (int i = 0; i < PerThread / 2; i++)
            {
                if (thread % 2 == 0)
                {
                    Atomic.Run(() => counter.Commute(v => v + 1));
                }
                else
                {
                    Atomic.Run(() => { counter.Value = counter.Value + 1; });
                }
            }
        });

        Assert.Equal(Threads * (PerThread / 2), counter.Value);
    }
}
