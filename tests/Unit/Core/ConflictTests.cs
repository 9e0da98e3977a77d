using System.Collections.Concurrent;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>Conflicts forced deterministically: one transaction is held inside its body until another commits.</summary>
public sealed class ConflictTests
{
    [Fact]
    public void Run_ReadModifyWriteHeldWhileAnotherCommits_ReRunsAndKeepsBothUpdates()
    {
        var counter = new TVar<int>(0, "counter");
        using var readDone = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int bodyRuns = 0;

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
        var other = TestThread.Start(() => Atomic.Run(() => { counter.Value = counter.Value + 1; }));
        other.Join();
        otherCommitted.Set();
        held.Join();

        Assert.Equal(2, bodyRuns);
        Assert.Equal(2, counter.Value);
    }

    [Fact]
    public void Run_ConflictIsCountedInTransactionStatistics()
    {
        var counter = new TVar<int>(0, "counted");
        using var readDone = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int bodyRuns = 0;
        long conflicts = -1;
        long attempts = -1;
        long commits = -1;

        var held = TestThread.Start(() =>
        {
            long conflictsBefore = Stm.Internal.TransactionStatistics.Conflicts;
            long attemptsBefore = Stm.Internal.TransactionStatistics.Attempts;
            long commitsBefore = Stm.Internal.TransactionStatistics.Commits;
            Atomic.Run(() =>
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
            });
            conflicts = Stm.Internal.TransactionStatistics.Conflicts - conflictsBefore;
            attempts = Stm.Internal.TransactionStatistics.Attempts - attemptsBefore;
            commits = Stm.Internal.TransactionStatistics.Commits - commitsBefore;
        });

        Bounded.Wait(readDone, "the held transaction to read");
        counter.Write(10);
        otherCommitted.Set();
        held.Join();

        Assert.Equal(2, bodyRuns);
        Assert.Equal(1, conflicts);
        Assert.Equal(2, attempts);
        Assert.Equal(1, commits);
        Assert.Equal(11, counter.Value);
    }

    [Fact]
    public void Run_WriteSkewForced_SecondTransactionSeesTheFirstAndKeepsConstraint()
    {
        // Constraint: x + y >= 0. Each transaction withdraws 100 from one account if the sum allows.
        var x = new TVar<int>(50, "x");
        var y = new TVar<int>(50, "y");

        int heldRuns = ForcedWriteSkew.Run(x, y);

        Assert.Equal(2, heldRuns);
        Assert.Equal(50, x.Value);
        Assert.Equal(-50, y.Value);
        Assert.True(x.Value + y.Value >= 0);
    }

    [Fact]
    public void Run_UpdateTransactionHeldBetweenReads_NeverSeesATornPair()
    {
        // Writers keep a == b. The held update transaction reads a, waits for a writer to commit
        // both, then reads b: it must not continue with the old a and the new b.
        var a = new TVar<int>(0, "a");
        var b = new TVar<int>(0, "b");
        var sink = new TVar<int>(0, "sink");
        using var firstRead = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        var observed = new ConcurrentQueue<(int A, int B)>();
        int runs = 0;

        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            int first = a.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
            {
                firstRead.Set();
                Bounded.Wait(otherCommitted, "the writer to commit");
            }

            int second = b.Value;
            observed.Enqueue((first, second));
            sink.Write(first + second);
        }));

        Bounded.Wait(firstRead, "the held transaction to read a");
        Atomic.Run(() =>
        {
            a.Write(1);
            b.Write(1);
        });
        otherCommitted.Set();
        held.Join();

        Assert.All(observed, pair => Assert.Equal(pair.A, pair.B));
        Assert.Equal(observed.Last().A + observed.Last().B, sink.Value);
    }

    [Fact]
    public void Run_DisjointTransactionsHeldConcurrently_BothCommitOnFirstAttempt()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);
        using var bothInside = new CountdownEvent(2);
        int runsA = 0;
        int runsB = 0;

        var first = TestThread.Start(() => Atomic.Run(() =>
        {
            a.Write(a.Value + 1);
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runsA) == 1)
#pragma warning restore STM0003
            {
                bothInside.Signal();
                Bounded.Wait(bothInside, "both transactions to be inside their bodies");
            }
        }));
        var second = TestThread.Start(() => Atomic.Run(() =>
        {
            b.Write(b.Value + 1);
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runsB) == 1)
#pragma warning restore STM0003
            {
                bothInside.Signal();
                Bounded.Wait(bothInside, "both transactions to be inside their bodies");
            }
        }));
        first.Join();
        second.Join();

        Assert.Equal(1, runsA);
        Assert.Equal(1, runsB);
        Assert.Equal(1, a.Value);
        Assert.Equal(1, b.Value);
    }

    [Fact]
    public void Run_BodySwallowsTheConflictSignalOfATornRead_StillReRunsAndCommitsConsistently()
    {
        var a = new TVar<int>(0, "a");
        var b = new TVar<int>(0, "b");
        var sink = new TVar<int>(0, "sink");
        using var firstRead = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int runs = 0;

        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            int first = a.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
            {
                firstRead.Set();
                Bounded.Wait(otherCommitted, "the writer to commit");
            }

            int second;
            try
            {
                second = b.Value;
            }
            catch (Exception)
            {
                // A careless body swallows everything, including the engine's abort of a torn read.
                second = -100;
            }

            sink.Write(first + second);
        }));

        Bounded.Wait(firstRead, "the held transaction to read a");
        Atomic.Run(() =>
        {
            a.Write(1);
            b.Write(1);
        });
        otherCommitted.Set();
        held.Join();

        Assert.Equal(2, runs);
        Assert.Equal(2, sink.Value);
    }
}
