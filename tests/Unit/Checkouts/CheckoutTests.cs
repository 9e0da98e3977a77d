using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Checkouts;

/// <summary>
/// Manual checkouts (<see cref="Atomic.Checkout"/>): blocks read one snapshot and buffer writes,
/// <see cref="Checkout.Commit"/> validates and publishes, misuse gets clear errors. Interleavings
/// are forced by committing from another thread between two blocks, or between a block and the commit.
/// </summary>
public sealed class CheckoutTests
{
    [Fact]
    public void ReadWriteCommit_PublishesAllWritesAtOnceAndOnlyAtCommit()
    {
        var from = new TVar<int>(100, "from");
        var to = new TVar<int>(0, "to");
        using Checkout checkout = Atomic.Checkout();

        checkout.Run(() =>
        {
            from.Value -= 30;
            to.Value += 30;
        });
        int seenOutsideBeforeCommit = from.Value + (to.Value * 1000);
        int seenInside = checkout.Read(from);
        checkout.Commit();

        Assert.Equal(100, seenOutsideBeforeCommit);
        Assert.Equal(70, seenInside);
        Assert.Equal(70, from.Value);
        Assert.Equal(30, to.Value);
        Assert.True(checkout.IsCompleted);
    }

    [Fact]
    public async Task Blocks_OnDifferentThreadsWithAwaitsBetween_ShareOneTransaction()
    {
        var account = new TVar<int>(10);
        using Checkout checkout = Atomic.Checkout();

        int first = checkout.Read(account);
        int firstThread = Environment.CurrentManagedThreadId;
        int secondThread = 0;
        TestThread.Start(() =>
        {
            checkout.Write(account, first + 5);
            secondThread = Environment.CurrentManagedThreadId;
        }).Join();
        await Task.Yield();
        int third = await Task.Run(() => checkout.Run(() => account.Value * 2));
        checkout.Commit();

        Assert.NotEqual(firstThread, secondThread);
        Assert.Equal(30, third);
        Assert.Equal(15, account.Value);
    }

    [Fact]
    public void Block_AfterAWriterCommittedBetweenBlocks_SeesTheCheckoutsSnapshotNotATornState()
    {
        var a = new TVar<int>(50, "a");
        var b = new TVar<int>(50, "b");
        using Checkout checkout = Atomic.Checkout();

        int seenA = checkout.Read(a);
        TestThread.Start(() => Atomic.Run(() =>
        {
            a.Value -= 20;
            b.Value += 20;
        })).Join();
        int sum = checkout.Run(() => a.Value + b.Value);

        Assert.Equal(50, seenA);
        Assert.Equal(100, sum);
        Assert.True(checkout.TryCommit(), "a read-only checkout always commits");
    }

    [Fact]
    public void Write_AfterAReadThatAWriterChangedBetweenBlocks_ThrowsConflictNamingTheTVarAndLeavesAllAsItWas()
    {
        var a = new TVar<int>(1, "a");
        var b = new TVar<int>(1, "b");
        var c = new TVar<int>(0, "c");
        using Checkout checkout = Atomic.Checkout();

        checkout.Run(() => c.Value = a.Value);
        TestThread.Start(() => Atomic.Run(() =>
        {
            a.Value = 2;
            b.Value = 2;
        })).Join();
        var conflict = Assert.Throws<ConflictException>(() => checkout.Run(() => b.Value + 1));
        var again = Assert.Throws<ConflictException>(() => checkout.Read(c));
        bool committed = checkout.TryCommit();

        Assert.Equal("b", conflict.TVarName);
        Assert.Contains("'b'", conflict.Message, StringComparison.Ordinal);
        Assert.NotNull(again);
        Assert.False(committed);
        Assert.Equal(0, c.Value);
    }

    [Fact]
    public void Commit_AfterAWriterChangedARead_ThrowsConflictNamingTheTVarAndWritesNothing()
    {
        var source = new TVar<int>(1, "source");
        var copy = new TVar<int>(0, "copy");
        using Checkout checkout = Atomic.Checkout();
        checkout.Run(() => copy.Value = source.Value * 10);

        source.Write(2);
        var error = Assert.Throws<ConflictException>(checkout.Commit);

        Assert.Equal("source", error.TVarName);
        Assert.Equal(0, copy.Value);
        Assert.True(checkout.IsCompleted);
    }

    [Fact]
    public void TryCommit_AfterAWriterChangedARead_ReturnsFalseAndWritesNothing()
    {
        var source = new TVar<int>(1);
        var copy = new TVar<int>(0);
        using Checkout checkout = Atomic.Checkout();
        checkout.Write(copy, checkout.Read(source) + 1);

        source.Write(5);

        Assert.False(checkout.TryCommit());
        Assert.Equal(0, copy.Value);
    }

    [Fact]
    public void Commit_AfterUnrelatedCommits_Succeeds()
    {
        var mine = new TVar<int>(1);
        var other = new TVar<int>(1);
        using Checkout checkout = Atomic.Checkout();
        checkout.Write(mine, checkout.Read(mine) + 1);

        TestThread.Start(() => other.Write(7)).Join();
        checkout.Commit();

        Assert.Equal(2, mine.Value);
        Assert.Equal(7, other.Value);
    }

    [Fact]
    public void ReadOnlyCheckout_AfterWritersChangedEverythingItRead_StillCommits()
    {
        var a = new TVar<int>(1);
        using Checkout checkout = Atomic.Checkout();
        int seen = checkout.Read(a);

        a.Write(2);
        a.Write(3);

        Assert.Equal(1, seen);
        Assert.True(checkout.TryCommit());
    }

    [Fact]
    public void Block_ThatThrows_RollsBackOnlyItsOwnWritesAndTheCheckoutGoesOn()
    {
        var kept = new TVar<int>(0);
        var undone = new TVar<int>(0);
        using Checkout checkout = Atomic.Checkout();
        checkout.Write(kept, 1);

        Assert.Throws<TestException>(() => checkout.Run(() =>
        {
            undone.Value = 1;
            kept.Value = 2;
            throw new TestException();
        }));
        int keptInside = checkout.Read(kept);
        checkout.Commit();

        Assert.Equal(1, keptInside);
        Assert.Equal(1, kept.Value);
        Assert.Equal(0, undone.Value);
    }

    [Fact]
    public void Block_NestedRunOrElseAndCollections_AllJoinTheCheckout()
    {
        var queue = new TQueue<int>();
        var map = new TMap<string, int>();
        var flag = new TVar<bool>(false);
        using Checkout checkout = Atomic.Checkout();

        checkout.Run(() =>
        {
            Atomic.Run(() => queue.Enqueue(1));
            map["one"] = 1;
            Atomic.OrElse(Atomic.Retry, () => flag.Value = true);
            Assert.True(Atomic.InTransaction);
        });
        bool visibleBeforeCommit = !queue.IsEmpty || map.Count != 0 || flag.Value;
        checkout.Commit();

        Assert.False(visibleBeforeCommit);
        Assert.True(queue.TryDequeue(out int item));
        Assert.Equal(1, item);
        Assert.Equal(1, map["one"]);
        Assert.True(flag.Value);
    }

    [Fact]
    public void Handlers_RegisteredInBlocks_RunAfterCommitOrAfterAbandon()
    {
        var tvar = new TVar<int>(0);
        var log = new List<string>();
        using (Checkout committed = Atomic.Checkout())
        {
            committed.Run(() =>
            {
                tvar.Value = 1;
                Atomic.AfterCommit(() => log.Add($"commit sees {tvar.Value}"));
                Atomic.AfterRollback(() => log.Add("rollback 1"));
            });
            log.Add("before commit");
            committed.Commit();
        }

        using (Checkout abandoned = Atomic.Checkout())
        {
            abandoned.Run(() => Atomic.AfterRollback(() => log.Add("rollback 2")));
            log.Add("before dispose");
        }

        Checkout failed = Atomic.Checkout();
        failed.Run(() =>
        {
            tvar.Value += 1;
            Atomic.AfterRollback(() => log.Add("rollback 3"));
        });
        tvar.Write(10);
        Assert.False(failed.TryCommit());

        Assert.Equal(["before commit", "commit sees 1", "before dispose", "rollback 2", "rollback 3"], log);
    }

    [Fact]
    public void ManyCheckouts_OneAfterAnother_ReuseTheirTransactionsAndEachSeesItsOwnSnapshot()
    {
        var tvar = new TVar<int>(0);
        for (int i = 0; i < 200; i++)
        {
            using Checkout checkout = Atomic.Checkout();
            Assert.Equal(i, checkout.Read(tvar));
            checkout.Write(tvar, i + 1);
            if (i % 3 == 0)
            {
                checkout.Commit();
            }
            else
            {
                Assert.True(checkout.TryCommit());
            }
        }

        using Checkout abandoned = Atomic.Checkout();
        abandoned.Write(tvar, -1);
        abandoned.Dispose();
        Assert.Equal(200, tvar.Value);
    }

    [Fact]
    public void CompletedCheckout_RefusesEveryUseButDisposeIsIdempotent()
    {
        var tvar = new TVar<int>(0);
        Checkout committed = Atomic.Checkout();
        committed.Commit();
        Checkout disposed = Atomic.Checkout();
        disposed.Dispose();

        foreach (Checkout checkout in new[] { committed, disposed })
        {
            Assert.True(checkout.IsCompleted);
            Assert.Contains("Atomic.Checkout()", Assert.Throws<InvalidOperationException>(() => checkout.Run(() => { })).Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => checkout.Run(() => 1));
            Assert.Throws<InvalidOperationException>(() => checkout.Read(tvar));
            Assert.Throws<InvalidOperationException>(() => checkout.Write(tvar, 1));
            Assert.Throws<InvalidOperationException>(checkout.Commit);
            Assert.Throws<InvalidOperationException>(() => checkout.TryCommit());
            checkout.Dispose();
            checkout.Dispose();
        }

        Assert.Equal(0, tvar.Value);
    }

    [Fact]
    public void SecondBlock_WhileABlockRunsOnAnotherThread_ThrowsAndTheFirstCompletes()
    {
        var tvar = new TVar<int>(0);
        using Checkout checkout = Atomic.Checkout();
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = TestThread.Start(() => checkout.Run(() =>
        {
            tvar.Value = 1;
            inside.Set();
            Bounded.Wait(release, "the test to try a second block");
        }));
        Bounded.Wait(inside, "the first block to start");

        var error = Assert.Throws<InvalidOperationException>(() => checkout.Write(tvar, 2));
        var commitError = Assert.Throws<InvalidOperationException>(checkout.Commit);
        var disposeError = Assert.Throws<InvalidOperationException>(checkout.Dispose);
        release.Set();
        first.Join();
        checkout.Commit();

        Assert.Contains("one block at a time", error.Message, StringComparison.Ordinal);
        Assert.NotNull(commitError);
        Assert.NotNull(disposeError);
        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void Checkout_InsideATransactionOrABlock_Throws()
    {
        using Checkout outer = Atomic.Checkout();

        var inRun = Record.Exception(() => Atomic.Run(() => Atomic.Checkout()));
        var inBlock = Record.Exception(() => outer.Run(() => Atomic.Checkout()));
        var blockInRun = Record.Exception(() => Atomic.Run(() => outer.Run(() => { })));
        var runAsyncInRun = Record.Exception(() => Atomic.Run(() => { Atomic.RunAsync((_, _) => ValueTask.CompletedTask).AsTask().Wait(Bounded.Limit); }));

        Assert.IsType<InvalidOperationException>(inRun);
        Assert.IsType<InvalidOperationException>(inBlock);
        Assert.IsType<InvalidOperationException>(blockInRun);
        Assert.IsType<InvalidOperationException>(runAsyncInRun);
        Assert.IsType<InvalidOperationException>(Record.Exception(() => Atomic.Run(outer.Commit)));
        Assert.IsType<InvalidOperationException>(Record.Exception(() => Atomic.Run(() => outer.TryCommit())));
        Assert.False(outer.IsCompleted);
    }

    [Fact]
    public void Retry_InAManualCheckout_ThrowsRollsBackTheBlockAndLeavesTheCheckoutUsable()
    {
        var tvar = new TVar<int>(0);
        using Checkout checkout = Atomic.Checkout();

        var error = Assert.Throws<InvalidOperationException>(() => checkout.Run(() =>
        {
            tvar.Value = 5;
            Atomic.Check(tvar.Value > 10);
        }));
        checkout.Write(tvar, 1);
        checkout.Commit();

        Assert.Contains("Atomic.RunAsync", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, tvar.Value);
    }

    [Fact]
    public void Block_ReturningATask_IsRejected()
    {
        using Checkout checkout = Atomic.Checkout();

#pragma warning disable STM0001 // the test checks that an async block is refused
        Assert.Throws<NotSupportedException>(() => { _ = checkout.Run<Task>(async () => await Task.Yield()); });
#pragma warning restore STM0001
        Assert.Throws<ArgumentNullException>(() => checkout.Run((Action)null!));
        Assert.Throws<ArgumentNullException>(() => checkout.Read<int>(null!));
        Assert.False(checkout.IsCompleted);
    }

    [Fact]
    public void ConflictException_PublicConstructors_FollowTheExceptionPattern()
    {
        var inner = new TestException();

        var plain = new ConflictException();
        var withMessage = new ConflictException("m");
        var withInner = new ConflictException("m", inner);

        Assert.Null(plain.TVarName);
        Assert.False(string.IsNullOrEmpty(plain.Message));
        Assert.Equal("m", withMessage.Message);
        Assert.Same(inner, withInner.InnerException);
    }
}
