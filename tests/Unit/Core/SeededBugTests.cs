using System.Diagnostics;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Tests of the tests: with a bug seeded into the engine through <see cref="TestHooks"/>, the
/// interleavings that the suite forces must expose it. Runs alone, because the hooks are global.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class SeededBugTests
{
    [Fact]
    public void SkipCommitValidation_ForcedConflict_LosesAnUpdate()
    {
        var counter = new TVar<int>(0);
        using var readDone = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int bodyRuns = 0;

        TestHooks.SkipCommitValidation = true;
        try
        {
            var held = TestThread.Start(() => Atomic.Run(() =>
            {
                int value = counter.Value;
                if (Interlocked.Increment(ref bodyRuns) == 1)
                {
                    readDone.Set();
                    Bounded.Wait(otherCommitted, "the other transaction to commit");
                }

                counter.Value = value + 1;
            }));

            Bounded.Wait(readDone, "the held transaction to read");
            Atomic.Run(() => { counter.Value = counter.Value + 1; });
            otherCommitted.Set();
            held.Join();
        }
        finally
        {
            TestHooks.SkipCommitValidation = false;
        }

        // The seeded bug commits the stale read: one increment is lost.
        Assert.Equal(1, bodyRuns);
        Assert.Equal(1, counter.Value);
    }

    [Fact]
    public void SkipCommitValidation_ForcedWriteSkew_ViolatesTheConstraint()
    {
        var x = new TVar<int>(50);
        var y = new TVar<int>(50);
        using var bothRead = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int heldRuns = 0;

        TestHooks.SkipCommitValidation = true;
        try
        {
            var held = TestThread.Start(() => Atomic.Run(() =>
            {
                int sum = x.Value + y.Value;
                if (Interlocked.Increment(ref heldRuns) == 1)
                {
                    bothRead.Set();
                    Bounded.Wait(otherCommitted, "the other withdrawal to commit");
                }

                if (sum - 100 >= 0)
                {
                    x.Value = x.Value - 100;
                }
            }));

            Bounded.Wait(bothRead, "the held transaction to read");
            Atomic.Run(() =>
            {
                if (x.Value + y.Value - 100 >= 0)
                {
                    y.Value = y.Value - 100;
                }
            });
            otherCommitted.Set();
            held.Join();
        }
        finally
        {
            TestHooks.SkipCommitValidation = false;
        }

        Assert.True(x.Value + y.Value < 0, $"x + y = {x.Value + y.Value}: the seeded write skew went unnoticed");
    }

    [Fact]
    public void SkipRetryRevalidation_ProducerRacesConsumerPark_LosesAWakeUp()
    {
        const int Items = 100_000;
        var stall = TimeSpan.FromSeconds(1);
        var available = new TVar<int>(0);
        var stop = new TVar<bool>(false);
        int consumerWaitingFor = -1;
        int consumed = 0;
        int lostAtItem = -1;

        TestHooks.SkipRetryRevalidation = true;
        try
        {
            var consumer = TestThread.Start(() =>
            {
                for (int i = 0; i < Items; i++)
                {
                    int item = i;
                    bool stopped = Atomic.Run(() =>
                    {
                        if (stop.Value)
                        {
                            return true;
                        }

                        int value = available.Value;
                        if (value == 0)
                        {
                            Volatile.Write(ref consumerWaitingFor, item);
                            Atomic.Retry();
                        }

                        available.Value = value - 1;
                        return false;
                    });
                    if (stopped)
                    {
                        return;
                    }

                    Volatile.Write(ref consumed, i + 1);
                }
            });

            for (int i = 0; i < Items && lostAtItem < 0; i++)
            {
                Bounded.Until(() => Volatile.Read(ref consumerWaitingFor) >= i, $"the consumer to wait for item {i}");
                available.Modify(v => v + 1);

                // With revalidation skipped, a commit that lands between the consumer's read and
                // its registration is never seen: the consumer stays parked with an item available.
                var stopwatch = Stopwatch.StartNew();
                while (Volatile.Read(ref consumed) <= i)
                {
                    if (stopwatch.Elapsed > stall)
                    {
                        lostAtItem = i;
                        break;
                    }

                    Thread.Yield();
                }
            }

            // Wake the consumer (it waits on stop too) and let it leave.
            stop.Value = true;
            consumer.Join();
        }
        finally
        {
            TestHooks.SkipRetryRevalidation = false;
        }

        Assert.True(lostAtItem >= 0, $"No wake-up was lost in {Items} racing hand-offs with revalidation skipped.");
    }
}
