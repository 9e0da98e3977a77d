using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// What happens when AfterCommit and AfterRollback handlers throw: every handler still runs, a
/// handler's failure never changes the transaction's outcome (no rollback of a commit, no end to a
/// run that will re-run), and what reaches the caller says whether the transaction committed.
/// </summary>
public sealed class HandlerFailureTests
{
    private const string CommittedKey = "Stm.TransactionCommitted";

    [Fact]
    public void AfterCommit_OneHandlerThrows_TheSameExceptionReachesTheCallerMarkedAsCommitted()
    {
        var tvar = new TVar<int>(0);
        var thrown = new TestException();
        bool laterRan = false;

        var caught = Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            tvar.Value = 1;
            Atomic.AfterCommit(() => throw thrown);
            Atomic.AfterCommit(() => laterRan = true);
        }));

        Assert.Same(thrown, caught);
        Assert.Equal(true, caught.Data[CommittedKey]);
        Assert.True(laterRan);
        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void AfterCommit_SeveralHandlersThrow_AnAggregateSaysTheTransactionCommitted()
    {
        var tvar = new TVar<int>(0);

        var caught = Assert.Throws<AggregateException>(() => Atomic.Run(() =>
        {
            tvar.Value = 1;
            Atomic.AfterCommit(() => throw new TestException());
            Atomic.AfterCommit(() => throw new InvalidOperationException());
        }));

        Assert.Contains("committed", caught.Message, StringComparison.Ordinal);
        Assert.Equal(true, caught.Data[CommittedKey]);
        Assert.Equal(2, caught.InnerExceptions.Count);
        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void AfterRollback_ThrowsAfterAConflict_TheRunStillReRunsAndCommitsThenReportsIt()
    {
        var counter = new TVar<int>(0);
        using var readDone = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        var thrown = new TestException();
        int runs = 0;
        Exception? caught = null;

        var held = TestThread.Start(() => caught = Record.Exception(() => Atomic.Run(() =>
        {
            int value = counter.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-run
            int run = Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            if (run == 1)
            {
                Atomic.AfterRollback(() => throw thrown);
                readDone.Set();
                Bounded.Wait(otherCommitted, "the other transaction to commit");
            }

            counter.Value = value + 1;
        })));

        Bounded.Wait(readDone, "the held transaction to read");
        counter.Write(10);
        otherCommitted.Set();
        held.Join();

        Assert.Equal(2, runs);
        Assert.Equal(11, counter.Value);
        Assert.Same(thrown, caught);
        Assert.Equal(true, caught!.Data[CommittedKey]);
    }

    [Fact]
    public void AfterRollback_ThrowsWhenTheBodyThrows_TheBodysExceptionReachesTheCallerUnchanged()
    {
        var bodyError = new TestException();
        bool secondRan = false;

        var caught = Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            Atomic.AfterRollback(() => throw new InvalidOperationException());
            Atomic.AfterRollback(() => secondRan = true);
            throw bodyError;
        }));

        Assert.Same(bodyError, caught);
        Assert.True(secondRan);
    }

    [Fact]
    public void Checkout_HandlersThrowAtCommitOrAbandon_FailuresSayWhetherItCommitted()
    {
        var tvar = new TVar<int>(0);
        Checkout committing = Atomic.Checkout();
        committing.Run(() =>
        {
            tvar.Value = 1;
            Atomic.AfterCommit(() => throw new TestException());
        });
        var atCommit = Assert.Throws<TestException>(committing.Commit);

        Checkout abandoned = Atomic.Checkout();
        abandoned.Run(() => Atomic.AfterRollback(() => throw new TestException()));
        var atDispose = Assert.Throws<TestException>(abandoned.Dispose);

        Assert.Equal(true, atCommit.Data[CommittedKey]);
        Assert.Equal(false, atDispose.Data[CommittedKey]);
        Assert.Equal(1, tvar.Value);
        Assert.True(committing.IsCompleted && abandoned.IsCompleted);
    }
}
