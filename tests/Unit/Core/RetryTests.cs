using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class RetryTests
{
    [Fact]
    public void Retry_ParkedUntilReadTVarIsWritten_ReRunsAndCommits()
    {
        var ready = new TVar<int>(0, "ready");
        int runs = 0;
        int result = 0;

        var waiter = TestThread.Start(() => result = Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            int value = ready.Value;
            Atomic.Check(value > 0);
            return value;
        }));

        Bounded.UntilParked(waiter, "the waiter");
        ready.Write(7);
        waiter.Join();

        Assert.Equal(7, result);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void Retry_ProducerCommitsBetweenTheConsumersReadAndItsRetry_ConsumerStillTakesTheItem()
    {
        // The lost wake-up window, forced rather than hoped for: the consumer's body reads
        // `available` (0), lets the producer commit 1, waits for that commit, and only then calls
        // Retry. Registering on the wait list and then re-checking the reads is what notices the
        // commit: the consumer re-runs at once instead of parking on a stale read.
        var available = new TVar<int>(0, "available");
        var stop = new TVar<bool>(false, "stop");
        using var read = new ManualResetEventSlim();
        using var committed = new ManualResetEventSlim();
        int runs = 0;
        bool took = false;

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
        bool finished = consumer.TryJoin(Bounded.Limit, out Exception? error);
        if (!finished)
        {
            // The wake-up was lost: let the consumer go through the other TVar it waits on.
            stop.Write(true);
            consumer.Join();
        }

        Assert.Null(error);
        Assert.True(finished, $"lost wake-up: the consumer was still parked {Bounded.Limit} after the commit it waited for");
        Assert.True(took);
        Assert.Equal(0, available.Value);
    }

    [Fact]
    public void Retry_DiscardsTheWritesOfTheAbandonedAttempt()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            output.Write(1);
            Atomic.Check(gate.Value);
        }));

        Bounded.UntilParked(waiter, "the waiter");
        int seenWhileParked = output.Value;
        int seenInTransactionWhileParked = Atomic.Run(() => output.Value);
        gate.Write(true);
        waiter.Join();

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(0, seenInTransactionWhileParked);
        Assert.Equal(1, output.Value);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void Retry_WritesToUnrelatedTVars_DoNotWakeTheWaiter()
    {
        var gate = new TVar<int>(0, "gate");
        var unrelated = new TVar<int>(0, "unrelated");
        var other = new TVar<int>(0, "other");
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            Atomic.Check(gate.Value > 0);
        }));

        Bounded.UntilParked(waiter, "the waiter");
        for (int i = 0; i < 1_000; i++)
        {
            unrelated.Write(i);
            Atomic.Run(() =>
            {
                other.Write(other.Value + 1);
                unrelated.Write(unrelated.Value + 1);
            });
        }

        int runsAfterUnrelatedWrites = Volatile.Read(ref runs);
        gate.Write(1);
        waiter.Join();

        Assert.Equal(1, runsAfterUnrelatedWrites);
        Assert.Equal(2, runs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Retry_WriteToAnyTVarReadBeforeRetry_WakesTheWaiter(int which)
    {
        var vars = new[] { new TVar<int>(0, "v0"), new TVar<int>(0, "v1"), new TVar<int>(0, "v2") };
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            Atomic.Check(vars[0].Value + vars[1].Value + vars[2].Value > 0);
        }));

        Bounded.UntilParked(waiter, "the waiter");
        vars[which].Write(1);
        waiter.Join();

        Assert.Equal(2, runs);
    }

    [Fact]
    public void Retry_WokenTransaction_ReRunsOnAFreshSnapshot()
    {
        var gate = new TVar<int>(0, "gate");
        var data = new TVar<int>(0, "data");
        (int Gate, int Data) result = default;

        var waiter = TestThread.Start(() => result = Atomic.Run(() =>
        {
            int g = gate.Value;
            Atomic.Check(g > 0);
            return (g, data.Value);
        }));

        Bounded.UntilParked(waiter, "the waiter");
        data.Write(5);
        gate.Write(1);
        waiter.Join();

        Assert.Equal((1, 5), result);
    }

    [Fact]
    public void Retry_NothingRead_ThrowsInvalidOperationException()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Atomic.Run(Atomic.Retry));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.False(Atomic.InTransaction);
    }

    [Fact]
    public void Retry_OnlyWrittenNothingRead_ThrowsAndCommitsNothing()
    {
        var written = new TVar<int>(0);

        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            written.Write(1);
            Atomic.Retry();
        }));

        Assert.Equal(0, written.Value);
    }

    [Fact]
    public void Check_FalseWithNothingRead_ThrowsInvalidOperationException()
    {
        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => Atomic.Check(false)));
    }

    [Fact]
    public void Check_True_DoesNotRetry()
    {
        var a = new TVar<int>(1);
        int runs = 0;

        Atomic.Run(() =>
        {
            runs++;
            Atomic.Check(a.Value == 1);
            a.Write(2);
        });

        Assert.Equal(1, runs);
        Assert.Equal(2, a.Value);
    }

    [Fact]
    public void Retry_InNestedRun_RetriesTheWholeTransaction()
    {
        var gate = new TVar<bool>(false);
        var outerWrite = new TVar<int>(0);
        int outerRuns = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref outerRuns);
#pragma warning restore STM0003
            outerWrite.Write(outerWrite.Value + 1);
            Atomic.Run(() => Atomic.Check(gate.Value));
        }));

        Bounded.UntilParked(waiter, "the waiter");
        int seenWhileParked = outerWrite.Value;
        gate.Write(true);
        waiter.Join();

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(2, outerRuns);
        Assert.Equal(1, outerWrite.Value);
    }

    [Fact]
    public void Retry_ReadThenWrittenByTheSameAttempt_StillWaitsOnTheCommittedValue()
    {
        var gate = new TVar<int>(0);
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            int value = gate.Value;
            gate.Write(value + 100);
            Atomic.Check(value > 0);
        }));

        Bounded.UntilParked(waiter, "the waiter");
        gate.Write(1);
        waiter.Join();

        Assert.Equal(2, runs);
        Assert.Equal(101, gate.Value);
    }

    [Fact]
    public void Retry_ManyWaitersOnOneTVar_AllWokenByOneWrite()
    {
        const int Waiters = 8;
        var gate = new TVar<bool>(false, "gate");
        var done = new TVar<int>(0, "done");
        var waiters = new TestThread[Waiters];
        for (int i = 0; i < Waiters; i++)
        {
            waiters[i] = TestThread.Start(() => Atomic.Run(() =>
            {
                Atomic.Check(gate.Value);
                done.Write(done.Value + 1);
            }));
        }

        foreach (var waiter in waiters)
        {
            Bounded.UntilParked(waiter, "every waiter");
        }

        gate.Write(true);
        foreach (var waiter in waiters)
        {
            waiter.Join();
        }

        Assert.Equal(Waiters, done.Value);
    }

    [Fact]
    public void Retry_ConsumerAndProducerHandOffItems_EveryItemConsumedOnce()
    {
        const int Items = 2_000;
        var slot = new TVar<int>(0, "slot");
        var sum = new TVar<long>(0, "sum");

        var consumer = TestThread.Start(() =>
        {
            for (int i = 0; i < Items; i++)
            {
                Atomic.Run(() =>
                {
                    int item = slot.Value;
                    Atomic.Check(item != 0);
                    slot.Write(0);
                    sum.Write(sum.Value + item);
                });
            }
        });
        var producer = TestThread.Start(() =>
        {
            for (int i = 1; i <= Items; i++)
            {
                int item = i;
                Atomic.Run(() =>
                {
                    Atomic.Check(slot.Value == 0);
                    slot.Write(item);
                });
            }
        });
        producer.Join();
        consumer.Join();

        Assert.Equal((long)Items * (Items + 1) / 2, sum.Value);
        Assert.Equal(0, slot.Value);
    }

    [Fact]
    public void Retry_BodyCatchesTheRetrySignal_StillAbandonsTheAttemptAndWaits()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            bool open = gate.Value;
            try
            {
                Atomic.Check(open);
            }
            catch (Exception)
            {
                // A careless body swallows everything; the retry must not be lost.
            }

            output.Write(open ? 2 : 1);
        }));

        Bounded.UntilParked(waiter, "the waiter");
        int seenWhileParked = output.Value;
        gate.Write(true);
        waiter.Join();

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(2, output.Value);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void Retry_AfterReadingManyTVarsSomeTwice_IsWokenByAWriteToAnyOfThem()
    {
        // More TVars than the waiter de-duplicates by a linear scan.
        var vars = Enumerable.Range(0, 100).Select(i => new TVar<int>(0, $"many{i}")).ToArray();
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            int sum = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                foreach (var v in vars)
                {
                    sum += v.Value;
                }
            }

            Atomic.Check(sum > 0);
        }));

        Bounded.UntilParked(waiter, "the waiter");
        vars[87].Write(1);
        waiter.Join();

        Assert.Equal(2, runs);
    }

    [Fact]
    public void TryRun_WokenRepeatedlyWithoutSuccess_StillGivesUpAtItsDeadline()
    {
        var level = new TVar<int>(0, "level");
        int stop = 0;
        var timeout = TimeSpan.FromMilliseconds(300);
        var writer = TestThread.Start(() =>
        {
            // Keep waking the waiter with values that never satisfy it.
            for (int i = 1; Volatile.Read(ref stop) == 0; i++)
            {
                level.Write(-i);
                Thread.Yield();
            }
        });

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        bool committed;
        try
        {
            committed = Atomic.TryRun(() => Atomic.Check(level.Value > 0), timeout);
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            writer.Join();
        }

        Assert.False(committed);
        Assert.True(stopwatch.Elapsed < timeout + Bounded.Limit, $"TryRun({timeout}) took {stopwatch.Elapsed}: it did not give up at its deadline.");
    }
}
