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
    /// <summary>How long the seeded lost wake-up is given to (wrongly) wake up anyway.</summary>
    private static readonly TimeSpan SeededLossWait = TimeSpan.FromSeconds(2);

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
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
                if (Interlocked.Increment(ref bodyRuns) == 1)
#pragma warning restore STM0003
                {
                    readDone.Set();
                    Bounded.Wait(otherCommitted, "the other transaction to commit");
                }

                counter.Write(value + 1);
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

        TestHooks.SkipCommitValidation = true;
        try
        {
            ForcedWriteSkew.Run(x, y);
        }
        finally
        {
            TestHooks.SkipCommitValidation = false;
        }

        Assert.True(x.Value + y.Value < 0, $"x + y = {x.Value + y.Value}: the seeded write skew went unnoticed");
    }

    [Fact]
    public void SkipRetryRevalidation_CommitBetweenReadAndPark_LosesTheWakeUp()
    {
        // The window is forced, not hoped for: the consumer's body reads `available` (0), then lets
        // the producer commit 1 and waits for that commit before it calls Retry. The engine
        // re-checks the reads after registering, sees the new version and runs the body again; with
        // the check skipped the consumer parks on a stale read, and nothing wakes it.
        Assert.True(ConsumerFinishes(skipRevalidation: false), "Control: the consumer must take the item.");
        Assert.False(ConsumerFinishes(skipRevalidation: true), "With revalidation skipped the wake-up should have been lost.");
    }

    private static bool ConsumerFinishes(bool skipRevalidation)
    {
        var available = new TVar<int>(0, "available");
        var stop = new TVar<bool>(false, "stop");
        using var read = new ManualResetEventSlim();
        using var committed = new ManualResetEventSlim();
        int runs = 0;
        bool took = false;

        TestHooks.SkipRetryRevalidation = skipRevalidation;
        try
        {
            var consumer = TestThread.Start(() => took = Atomic.Run(() =>
            {
                if (stop.Value)
                {
                    return false;
                }

                int value = available.Value;
                if (value == 0)
                {
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
                    if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
                    {
                        read.Set();
                        Bounded.Wait(committed, "the producer's commit");
                    }

                    Atomic.Retry();
                }

                available.Write(value - 1);
                return true;
            }));

            Bounded.Wait(read, "the consumer to read");
            available.Write(1);
            committed.Set();
            // A correct engine wakes the consumer at once, but a loaded machine may stall it: give
            // the control run the hang limit. With the seeded bug nothing ever wakes the consumer
            // (the window is forced), so any wait shows the loss; a short one keeps the test quick,
            // and a slow machine can only make it look more lost, never less.
            TimeSpan wait = skipRevalidation ? SeededLossWait : Bounded.Limit;
            bool finished = consumer.TryJoin(wait, out Exception? error);
            Assert.Null(error);
            if (!finished)
            {
                // Lost: release the consumer through the other TVar it waits on, so it can leave.
                stop.Write(true);
                consumer.Join();
            }

            return finished && took && available.Value == 0;
        }
        finally
        {
            TestHooks.SkipRetryRevalidation = false;
        }
    }
}
