using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TCounterTests
{
    [Fact]
    public void Members_AddIncrementDecrement_ChangeTheValue()
    {
        var counter = new TCounter(10);
        Assert.Equal(10, counter.Value);
        counter.Increment();
        counter.Add(5);
        counter.Add(-3);
        counter.Add(0);
        counter.Decrement();
        Assert.Equal(12, counter.Value);
        Assert.Equal(0, new TCounter().Value);
    }

    [Fact]
    public void Value_InsideTransaction_IncludesOwnAdds()
    {
        var counter = new TCounter(1);
        long inside = Atomic.Run(() =>
        {
            counter.Add(10);
            counter.Increment();
            return counter.Value;
        });
        Assert.Equal(12, inside);
        Assert.Equal(12, counter.Value);
    }

    [Fact]
    public void Add_InTransactionThatThrows_ChangesNothing()
    {
        var counter = new TCounter(1);
        Assert.Throws<InvalidTimeZoneException>(() => Atomic.Run(() =>
        {
            counter.Add(100);
            throw new InvalidTimeZoneException();
        }));
        Assert.Equal(1, counter.Value);
    }

    [Fact]
    [Trait("Category", "Stress")]
    public async Task Add_ManyThreads_IsExactAndNeverConflicts()
    {
        const int Threads = 8;
        const int PerThread = 2000;
        var counter = new TCounter();
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => WaitHarness.StartThread(() =>
        {
            Assert.True(start.SignalAndWait(WaitHarness.Timeout));
            long before = Stm.Internal.TransactionStatistics.Conflicts;
            for (int i = 0; i < PerThread; i++)
            {
                if (t % 2 == 0)
                {
                    counter.Increment();
                }
                else
                {
                    Atomic.Run(() => counter.Add(3));
                }
            }

            return Stm.Internal.TransactionStatistics.Conflicts - before;
        })).ToArray();

        long[] conflicts = await Task.WhenAll(workers).WaitAsync(WaitHarness.Timeout * 2);
        Assert.Equal((Threads / 2 * PerThread) + (Threads / 2 * PerThread * 3), counter.Value);
        Assert.All(conflicts, c => Assert.Equal(0, c));
    }
}
