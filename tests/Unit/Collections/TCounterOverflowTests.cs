using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// TCounter refuses to go past <see cref="long.MaxValue"/> or <see cref="long.MinValue"/>: the addition
/// throws <see cref="OverflowException"/> and the value stays as it was, also when many threads add
/// at once (the value is spread over stripes, so no single addition sees the whole value for free).
/// </summary>
public sealed class TCounterOverflowTests
{
    [Fact]
    public void Increment_AtMaxValue_ThrowsOverflowAndLeavesTheValue()
    {
        var counter = new TCounter(long.MaxValue);
        var error = Assert.Throws<OverflowException>(counter.Increment);
        Assert.Contains("long.MaxValue", error.Message, StringComparison.Ordinal);
        Assert.Equal(long.MaxValue, counter.Value);
    }

    [Fact]
    public void Decrement_AtMinValue_ThrowsOverflowAndLeavesTheValue()
    {
        var counter = new TCounter(long.MinValue);
        var error = Assert.Throws<OverflowException>(counter.Decrement);
        Assert.Contains("long.MinValue", error.Message, StringComparison.Ordinal);
        Assert.Equal(long.MinValue, counter.Value);
    }

    [Theory]
    [InlineData(long.MaxValue - 5, 6)]
    [InlineData(0L, long.MaxValue)]
    [InlineData(1L, long.MaxValue)]
    [InlineData(-1L, long.MinValue)]
    [InlineData(long.MinValue + 5, -6)]
    [InlineData(long.MaxValue, long.MaxValue)]
    public void Add_PastTheRange_ThrowsOverflowAndLeavesTheValue(long initial, long delta)
    {
        var counter = new TCounter(initial);
        bool fits = delta > 0 ? initial <= long.MaxValue - delta : initial >= long.MinValue - delta;
        if (fits)
        {
            counter.Add(delta);
            Assert.Equal(initial + delta, counter.Value);
        }
        else
        {
            Assert.Throws<OverflowException>(() => counter.Add(delta));
            Assert.Equal(initial, counter.Value);
        }
    }

    [Fact]
    public void Add_UpToExactlyTheLimits_Succeeds()
    {
        var counter = new TCounter(long.MaxValue - 3);
        counter.Add(3);
        Assert.Equal(long.MaxValue, counter.Value);
        counter.Add(long.MinValue);
        Assert.Equal(-1, counter.Value);
        counter.Add(-long.MaxValue);
        Assert.Equal(long.MinValue, counter.Value);
        counter.Add(long.MaxValue);
        counter.Increment();
        Assert.Equal(0, counter.Value);
    }

    [Fact]
    public void Add_InsideATransaction_OverflowRollsBackTheWholeTransaction()
    {
        var counter = new TCounter(long.MaxValue - 1);
        var other = new TVar<int>(0, "other");

        Assert.Throws<OverflowException>(() => Atomic.Run(() =>
        {
            other.Value = 1;
            counter.Increment();
            counter.Increment();
        }));

        Assert.Equal(0, other.Value);
        Assert.Equal(long.MaxValue - 1, counter.Value);
    }

    [Fact]
    public void Add_InsideATransaction_CaughtOverflowLetsTheTransactionCommit()
    {
        var counter = new TCounter(long.MaxValue - 1);
        bool caught = Atomic.Run(() =>
        {
            counter.Increment();
            try
            {
                counter.Add(5);
                return false;
            }
            catch (OverflowException)
            {
                return true;
            }
        });

        Assert.True(caught);
        Assert.Equal(long.MaxValue, counter.Value);
    }

    /// <summary>
    /// Regression test: additions used to be commutes that wrapped around, so threads incrementing
    /// together past <see cref="long.MaxValue"/> silently produced a negative value.
    /// </summary>
    [Fact]
    [Trait("Category", "Stress")]
    public void Increment_ManyThreadsNearMaxValue_StopsExactlyAtMaxValue()
    {
        const int Threads = 6;
        const int PerThread = 400;
        const int Room = 1_000;
        var counter = new TCounter(long.MaxValue - Room);
        var succeeded = new int[Threads];
        var refused = new int[Threads];
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, t =>
        {
            Assert.True(start.SignalAndWait(Bounded.Limit), "the workers did not all start");
            for (int i = 0; i < PerThread; i++)
            {
                try
                {
                    counter.Increment();
                    succeeded[t]++;
                }
                catch (OverflowException)
                {
                    refused[t]++;
                }
            }
        });

        Assert.Equal(Room, succeeded.Sum());
        Assert.Equal((Threads * PerThread) - Room, refused.Sum());
        Assert.Equal(long.MaxValue, counter.Value);
    }

    /// <summary>
    /// Regression test with large additions from several threads, down to <see cref="long.MinValue"/>
    /// and back up to <see cref="long.MaxValue"/>: exactly the additions that fit succeed.
    /// </summary>
    [Theory]
    [Trait("Category", "Stress")]
    [InlineData(-1)]
    [InlineData(1)]
    public void Add_LargeAmountsFromManyThreads_SucceedExactlyAsOftenAsTheyFit(int sign)
    {
        const int Threads = 5;
        const long Amount = 1L << 52;

        // The whole range spans 2^64 - 1: from one end, 2^12 - 1 additions of 2^52 fit, one more does not.
        const int Fit = (1 << 12) - 1;
        const int PerThread = Fit / Threads * 2;
        var counter = new TCounter(sign > 0 ? long.MinValue : long.MaxValue);
        long delta = sign * Amount;
        var succeeded = new int[Threads];
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, t =>
        {
            Assert.True(start.SignalAndWait(Bounded.Limit), "the workers did not all start");
            for (int i = 0; i < PerThread; i++)
            {
                try
                {
                    if (i % 2 == 0)
                    {
                        counter.Add(delta);
                    }
                    else
                    {
                        Atomic.Run(() => counter.Add(delta));
                    }

                    succeeded[t]++;
                }
                catch (OverflowException)
                {
                }
            }
        });

        Assert.Equal(Fit, succeeded.Sum());
        Assert.Equal(sign > 0 ? long.MaxValue - (Amount - 1) : long.MinValue + (Amount - 1), counter.Value);
    }
}
