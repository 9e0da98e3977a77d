using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// How woken runs take turns (<c>Stm.Internal.TurnLine</c>): a younger run waits for an older one
/// woken for what it read, even when a different commit woke it; a run ahead whose body blocks holds
/// the others back only for a bounded time; a waiter whose wait ended without a wake, and an
/// asynchronous waiter, never hold anyone back for long. They run alone: they read the process-wide
/// counts of turn waits.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class WakeTurnTests
{
    [Fact]
    public void Retry_YoungerRunWokenByAnotherTVarReadsTheItem_WaitsForTheOlderWaiterWokenForIt()
    {
        var stock = new TVar<int>(0, "turn-stock");
        var poke = new TVar<int>(0, "turn-poke");
        var takers = new List<string>();
        using var olderHasTheItem = new ManualResetEventSlim();
        int olderAttemptsWithItem = 0;
        long turnWaitsBefore = WakeTurn.TurnWaits;

        var older = TestThread.Start(() => Atomic.Run(() =>
        {
            Atomic.Check(stock.Value > 0);
#pragma warning disable STM0003 // holds the older run's first attempt that sees the item until the younger one reaches its turn: the interleaving under test
            if (Interlocked.Increment(ref olderAttemptsWithItem) == 1)
            {
                olderHasTheItem.Set();
                Bounded.Until(() => WakeTurn.TurnWaits > turnWaitsBefore, "the younger run to wait for its turn");
            }
#pragma warning restore STM0003

            stock.Value--;
            Atomic.AfterCommit(() => Record(takers, "older"));
        }));
        Bounded.Until(() => WaiterCount(stock) == 1 && older.IsBlocked, "the older waiter to park on the stock");

        // The younger waiter parks on poke only: a commit to the stock does not wake it.
        var younger = TestThread.Start(() => Atomic.Run(() =>
        {
            Atomic.Check(poke.Value > 0);
            Atomic.Check(stock.Value > 0);
            stock.Value--;
            Atomic.AfterCommit(() => Record(takers, "younger"));
        }));
        Bounded.Until(() => WaiterCount(poke) == 1 && younger.IsBlocked, "the younger waiter to park on poke");

        stock.Write(1);
        Bounded.Wait(olderHasTheItem, "the older waiter to wake and see the item");

        // Woken by poke, the younger run sees the item too; the older run, woken for it, goes first.
        poke.Write(1);
        older.Join();
        Bounded.Until(() => WaiterCount(stock) == 1 && younger.IsBlocked, "the younger waiter to park again on the stock");
        stock.Write(1);
        younger.Join();

        Assert.Equal(["older", "younger"], takers);
        Assert.Equal(0, stock.Value);
    }

    [Fact]
    public void Retry_OlderWokenRunBlocksInItsBody_YoungerWaiterCommitsWhileItStillBlocks()
    {
        var stock = new TVar<int>(0, "blocked-stock");
        using var olderBlocks = new ManualResetEventSlim();
        using var releaseOlder = new ManualResetEventSlim();
        int olderAttemptsWithItem = 0;
        long turnParksBefore = WakeTurn.TurnParks;

        var older = TestThread.Start(() => Atomic.Run(() =>
        {
            Atomic.Check(stock.Value > 0);
#pragma warning disable STM0003 // blocks the older run's first attempt after its wake: a body that blocks is the case under test
            if (Interlocked.Increment(ref olderAttemptsWithItem) == 1)
            {
                olderBlocks.Set();
                Bounded.Wait(releaseOlder, "the test to let the older run go");
            }
#pragma warning restore STM0003

            stock.Value--;
        }));
        Bounded.Until(() => WaiterCount(stock) == 1 && older.IsBlocked, "the older waiter to park");
        var younger = TestThread.Start(() => Atomic.Run(() =>
        {
            Atomic.Check(stock.Value > 0);
            stock.Value--;
        }));
        Bounded.Until(() => WaiterCount(stock) == 2 && younger.IsBlocked, "the younger waiter to park");

        // One commit wakes both; the older one blocks in its body, ahead of the younger one.
        stock.Write(2);
        Bounded.Wait(olderBlocks, "the older run to block after its wake");
        younger.Join();
        bool olderStillBlocked = !older.IsFinished;
        releaseOlder.Set();
        older.Join();

        Assert.True(olderStillBlocked, "the older run finished before the younger one could");
        Assert.True(WakeTurn.TurnParks > turnParksBefore, "the younger run never waited for its turn");
        Assert.Equal(0, stock.Value);
    }

    [Fact]
    public void Retry_OlderRunInItsAfterCommitHandler_YoungerRunDoesNotWaitForIt()
    {
        var stock = new TVar<int>(0, "handler-stock");
        using var olderInHandler = new ManualResetEventSlim();
        using var youngerDone = new ManualResetEventSlim();
        int youngerAttemptsWithItem = 0;

        var older = TestThread.Start(() => Atomic.Run(() =>
        {
            Atomic.Check(stock.Value > 0);
            stock.Value--;
            Atomic.AfterCommit(() =>
            {
                // A slow handler: the run has committed, and the runs behind it need not wait for this.
                olderInHandler.Set();
                Bounded.Wait(youngerDone, "the younger run to commit");
            });
        }));
        Bounded.Until(() => WaiterCount(stock) == 1 && older.IsBlocked, "the older waiter to park");
        var younger = TestThread.Start(() =>
        {
            Atomic.Run(() =>
            {
                Atomic.Check(stock.Value > 0);
#pragma warning disable STM0003 // holds the younger run's first attempt that sees an item until the older run is in its handler: the interleaving under test
                if (Interlocked.Increment(ref youngerAttemptsWithItem) == 1)
                {
                    Bounded.Wait(olderInHandler, "the older run to commit and run its handler");
                }
#pragma warning restore STM0003

                stock.Value--;
            });
            youngerDone.Set();
        });
        Bounded.Until(() => WaiterCount(stock) == 2 && younger.IsBlocked, "the younger waiter to park");

        long turnWaitsBefore = WakeTurn.TurnWaits;
        stock.Write(2);
        younger.Join();
        older.Join();

        Assert.Equal(turnWaitsBefore, WakeTurn.TurnWaits);
        Assert.Equal(0, stock.Value);
    }

    [Fact]
    public void Retry_OlderWaiterCancelledBeforeTheWake_YoungerWaiterNeverWaitsForIt()
    {
        var stock = new TVar<int>(0, "cancelled-stock");
        using var cancel = new CancellationTokenSource();
        var older = TestThread.Start(() => Atomic.Run(
            () =>
            {
                Atomic.Check(stock.Value > 0);
                stock.Value--;
            },
            cancel.Token));
        Bounded.Until(() => WaiterCount(stock) == 1 && older.IsBlocked, "the older waiter to park");
        var younger = TestThread.Start(() => Atomic.Run(() =>
        {
            Atomic.Check(stock.Value > 0);
            stock.Value--;
        }));
        Bounded.Until(() => WaiterCount(stock) == 2 && younger.IsBlocked, "the younger waiter to park");

        cancel.Cancel();
        Exception? olderOutcome = older.JoinCapturing();
        long turnWaitsBefore = WakeTurn.TurnWaits;
        stock.Write(1);
        younger.Join();

        Assert.IsAssignableFrom<OperationCanceledException>(olderOutcome);
        Assert.Equal(turnWaitsBefore, WakeTurn.TurnWaits);
        Assert.Equal(0, stock.Value);
    }

    [Fact]
    public async Task RunAsync_OlderAsyncWaiterAndYoungerBlockingWaiters_TakeTheItemsInParkOrder()
    {
        var stock = new TVar<int>(0, "async-stock");
        var next = new TVar<int>(0, "async-next");

        int Take()
        {
            Atomic.Check(stock.Value > 0);
            stock.Value--;
            int item = next.Value;
            next.Value = item + 1;
            return item;
        }

        Task<int> older = Atomic.RunAsync(Take).AsTask();
        Assert.Equal(1, WaiterCount(stock));
        var received = new int[2];
        var younger = new TestThread[2];
        for (int k = 0; k < younger.Length; k++)
        {
            int index = k;
            younger[k] = TestThread.Start(() => received[index] = Atomic.Run(Take), $"younger {k}");
            Bounded.Until(() => WaiterCount(stock) == index + 2 && younger[index].IsBlocked, $"younger waiter {k} to park");
        }

        Atomic.Run(() => stock.Value++);
        int olderItem = await older.WaitAsync(Bounded.Limit);
        for (int item = 1; item <= younger.Length; item++)
        {
            int served = item;
            Bounded.Until(
                () => WakeTurn.Awake == 0 && younger.Count(t => t.IsFinished) == served - 1 && WaiterCount(stock) == younger.Length - served + 1,
                $"the waiters left to park again before item {item}");
            Atomic.Run(() => stock.Value++);
            Bounded.Until(() => younger.Count(t => t.IsFinished) == served, $"a waiter to take item {item}");
        }

        foreach (var thread in younger)
        {
            thread.Join();
        }

        Assert.Equal(0, olderItem);
        Assert.Equal([1, 2], received);
    }

    [Fact]
    public async Task RunAsync_YoungerAsyncWaiterWokenWithAnOlderBlockingOne_RunsOnlyAfterIt()
    {
        var stock = new TVar<int>(0, "async-younger-stock");
        var takers = new List<string>();
        int olderAttemptsWithItem = 0;
        long turnWaitsBefore = WakeTurn.TurnWaits;

        var older = TestThread.Start(() => Atomic.Run(() =>
        {
            Atomic.Check(stock.Value > 0);
#pragma warning disable STM0003 // holds the older run's first attempt that sees the item until the younger one waits for its turn: the interleaving under test
            if (Interlocked.Increment(ref olderAttemptsWithItem) == 1)
            {
                Bounded.Until(() => WakeTurn.TurnWaits > turnWaitsBefore, "the younger asynchronous run to wait for its turn");
            }
#pragma warning restore STM0003

            stock.Value--;
            Atomic.AfterCommit(() => Record(takers, "older"));
        }));
        Bounded.Until(() => WaiterCount(stock) == 1 && older.IsBlocked, "the older waiter to park");
        Task younger = Atomic.RunAsync(() =>
        {
            Atomic.Check(stock.Value > 0);
            stock.Value--;
            Atomic.AfterCommit(() => Record(takers, "younger"));
        }).AsTask();
        Assert.Equal(2, WaiterCount(stock));

        stock.Write(1);
        older.Join();
        Bounded.Until(() => WakeTurn.Awake == 0 && WaiterCount(stock) == 1, "the younger run to wait again");
        stock.Write(1);
        await younger.WaitAsync(Bounded.Limit);

        Assert.Equal(["older", "younger"], takers);
    }

    private static int WaiterCount<T>(TVar<T> tvar) => tvar.WaitList?.Count ?? 0;

    private static void Record(List<string> takers, string taker)
    {
        lock (takers)
        {
            takers.Add(taker);
        }
    }
}
