using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class CommuteTests
{
    [Fact]
    public void Commute_OutsideTransaction_AppliesAtOnce()
    {
        var counter = new TVar<int>(1);

        counter.Commute(v => v + 1);

        Assert.Equal(2, counter.Value);
        int seen = 0;
        TestThread.Start(() => seen = counter.Value).Join();
        Assert.Equal(2, seen);
    }

    [Fact]
    public void Commute_InsideTransaction_IsAppliedAtCommit()
    {
        var counter = new TVar<int>(1);
        using var commuted = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int runs = 0;

        var worker = TestThread.Start(() => Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
            {
                commuted.Set();
                Bounded.Wait(release, "the test to release the transaction");
            }
        }));

        Bounded.Wait(commuted, "the transaction to commute");
        int seenBeforeCommit = counter.Value;
        release.Set();
        worker.Join();

        Assert.Equal(1, seenBeforeCommit);
        Assert.Equal(2, counter.Value);
    }

    [Fact]
    public void Commute_SeveralInOneTransaction_AreAppliedInProgramOrder()
    {
        var text = new TVar<string>("");

        Atomic.Run(() =>
        {
            text.Commute(s => s + "a");
            text.Commute(s => s + "b");
            text.Commute(s => s + "c");
        });

        Assert.Equal("abc", text.Value);
    }

    [Fact]
    public void Commute_ThenReadInSameTransaction_SeesOwnCommutes()
    {
        var counter = new TVar<int>(10);
        int seen = 0;

        Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
            counter.Commute(v => v * 2);
            seen = counter.Value;
        });

        Assert.Equal(22, seen);
        Assert.Equal(22, counter.Value);
    }

    [Fact]
    public void Commute_ThenReadThenCommute_AppliesAllInOrder()
    {
        var text = new TVar<string>("x");
        string seen = "";

        Atomic.Run(() =>
        {
            text.Commute(s => s + "a");
            seen = text.Value;
            text.Commute(s => s + "b");
        });

        Assert.Equal("xa", seen);
        Assert.Equal("xab", text.Value);
    }

    [Fact]
    public void Commute_ThenModify_ModifySeesTheCommute()
    {
        var counter = new TVar<int>(1);
        int returned = 0;

        Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
            returned = counter.Modify(v => v * 10);
        });

        Assert.Equal(20, returned);
        Assert.Equal(20, counter.Value);
    }

    [Fact]
    public void Commute_WriteThenCommute_AppliesOnTheWrittenValue()
    {
        var counter = new TVar<int>(100);

        Atomic.Run(() =>
        {
            counter.Write(5);
            counter.Commute(v => v + 1);
        });

        Assert.Equal(6, counter.Value);
    }

    [Fact]
    public void Commute_CommuteThenWrite_WriteReplacesTheCommute()
    {
        var counter = new TVar<int>(100);

        Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
            counter.Write(5);
        });

        Assert.Equal(5, counter.Value);
    }

    [Fact]
    public void Commute_HeldWhileAnotherTransactionCommutes_DoesNotConflictAndKeepsBoth()
    {
        var counter = new TVar<int>(0, "commuted");
        using var commuted = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int heldRuns = 0;
        int otherRuns = 0;

        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref heldRuns) == 1)
#pragma warning restore STM0003
            {
                commuted.Set();
                Bounded.Wait(otherCommitted, "the other commute to commit");
            }
        }));

        Bounded.Wait(commuted, "the held transaction to commute");
        Atomic.Run(() =>
        {
            otherRuns++;
            counter.Commute(v => v + 10);
        });
        otherCommitted.Set();
        held.Join();

        Assert.Equal(1, heldRuns);
        Assert.Equal(1, otherRuns);
        Assert.Equal(11, counter.Value);
    }

    [Fact]
    public void Commute_HeldWhileAPlainWriteCommits_IsAppliedOnTheNewestCommittedValue()
    {
        var counter = new TVar<int>(0);
        using var commuted = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int heldRuns = 0;

        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref heldRuns) == 1)
#pragma warning restore STM0003
            {
                commuted.Set();
                Bounded.Wait(otherCommitted, "the plain write to commit");
            }
        }));

        Bounded.Wait(commuted, "the held transaction to commute");
        counter.Write(100);
        otherCommitted.Set();
        held.Join();

        Assert.Equal(101, counter.Value);
    }

    [Fact]
    public void Commute_ThenReadHeldWhileAnotherWrites_BecomesOrdinaryReadAndReRuns()
    {
        var counter = new TVar<int>(10, "read-after-commute");
        using var readDone = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int heldRuns = 0;
        int seen = 0;

        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
            int value = counter.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref heldRuns) == 1)
#pragma warning restore STM0003
            {
                readDone.Set();
                Bounded.Wait(otherCommitted, "the other write to commit");
            }

            seen = value;
        }));

        Bounded.Wait(readDone, "the held transaction to read after its commute");
        counter.Write(100);
        otherCommitted.Set();
        held.Join();

        // The first attempt saw 11; committing +1 on 100 with seen == 11 would not be serializable.
        Assert.Equal(2, heldRuns);
        Assert.Equal(101, seen);
        Assert.Equal(101, counter.Value);
    }

    [Fact]
    public void Commute_InTransactionThatThrows_IsDiscarded()
    {
        var counter = new TVar<int>(0);

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
            throw new TestException();
        }));

        Assert.Equal(0, counter.Value);
    }

    [Fact]
    public void Commute_InNestedRunThatThrows_IsDiscardedAndOuterCommutesKept()
    {
        var counter = new TVar<int>(0);

        Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
            try
            {
                Atomic.Run(() =>
                {
                    counter.Commute(v => v + 100);
                    throw new TestException();
                });
            }
            catch (TestException)
            {
                // Keep the outer commute only.
            }

            counter.Commute(v => v + 10);
        });

        Assert.Equal(11, counter.Value);
    }

    [Fact]
    public void Commute_InOrElseBranchThatRetries_IsDiscarded()
    {
        var counter = new TVar<int>(0);
        var gate = new TVar<bool>(false);

        Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                counter.Commute(v => v + 100);
                Atomic.Check(gate.Value);
            },
            () => counter.Commute(v => v + 1)));

        Assert.Equal(1, counter.Value);
    }

    [Fact]
    public void Commute_NullUpdate_ThrowsArgumentNullExceptionNamingUpdate()
    {
        var counter = new TVar<int>(3);

        var outside = Assert.Throws<ArgumentNullException>(() => counter.Commute(null!));
        var inside = Assert.Throws<ArgumentNullException>(() => Atomic.Run(() =>
        {
            counter.Write(4);
            counter.Commute(null!);
        }));

        Assert.Equal("update", outside.ParamName);
        Assert.Equal("update", inside.ParamName);
        Assert.Equal(3, counter.Value);
    }

    [Fact]
    public void Commute_UpdateThrowsAtCommit_PropagatesCommitsNothingAndLeavesTheTVarUsable()
    {
        var counter = new TVar<int>(1, "throwing-commute");
        var other = new TVar<int>(0);
        var thrown = new TestException();

        var caught = Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            other.Write(5);
            counter.Commute(_ => throw thrown);
        }));

        Assert.Same(thrown, caught);
        Assert.Equal(1, counter.Value);
        Assert.Equal(0, other.Value);

        // Not left locked: other threads can still write it.
        TestThread.Start(() => counter.Write(2)).Join();
        Atomic.Run(() => counter.Commute(v => v + 1));
        Assert.Equal(3, counter.Value);
    }

    [Fact]
    public void Commute_CommitLockHeldByAnotherCommute_SecondCommuteBodyIsNotReRun()
    {
        // The first transaction's commute function runs at commit, under the TVar's commit lock;
        // it is held there while the second commute-only transaction tries to commit. The second
        // read nothing, so it cannot conflict: it may wait for the lock, but re-running its body
        // would count (and report) a conflict between two commutes.
        var counter = new TVar<int>(0, "commute-lock");
        using var inCommute = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int firstApplications = 0;
        int secondRuns = 0;

        var first = TestThread.Start(() => Atomic.Run(() => counter.Commute(v =>
        {
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref firstApplications) == 1)
#pragma warning restore STM0003
            {
                inCommute.Set();
                Bounded.Wait(release, "the test to release the first commit");
            }

            return v + 1;
        })));

        Bounded.Wait(inCommute, "the first commit to apply its commute");
        var second = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref secondRuns);
#pragma warning restore STM0003
            counter.Commute(v => v + 10);
        }));

        // Give the second transaction time to reach its commit and meet the held lock.
        bool reRan = SpinWait.SpinUntil(() => Volatile.Read(ref secondRuns) >= 2, TimeSpan.FromSeconds(1));
        release.Set();
        first.Join();
        second.Join();

        Assert.Equal(11, counter.Value);
        Assert.False(reRan, $"The commute-only body ran {secondRuns} times while another commit held the lock.");
        Assert.Equal(1, secondRuns);
    }
}
