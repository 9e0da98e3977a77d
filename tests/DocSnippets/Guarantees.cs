using System.Collections.Concurrent;
using Stm;

namespace DocSnippets;

/// <summary>docs/guarantees.md: its examples, and the behaviour it states where a short test can show it.</summary>
public sealed class Guarantees
{
    [Fact]
    public async Task Opacity_EveryAttemptSeesTheWritersInvariant()
    {
        var a = new TVar<int>(50, "a");
        var b = new TVar<int>(50, "b");
        using var stop = new CancellationTokenSource();
        Task writer = Task.Run(() =>
        {
            var random = new Random(1);
            while (!stop.IsCancellationRequested)
            {
                int moved = random.Next(-50, 51);
                Atomic.Run(() =>
                {
                    if (a.Value - moved is >= 0 and <= 100)
                    {
                        a.Value -= moved;
                        b.Value += moved;
                    }
                });
            }
        });

        for (int i = 0; i < 20_000; i++)
        {
            // snippet: opacity
            // Writers keep a + b == 100 (and both at least 0). No attempt of this body sees anything
            // else, not even one that is about to be rolled back: it never divides by zero.
            int percentInA = Atomic.Run(() => 100 * a.Value / (a.Value + b.Value));
            // end snippet: opacity
            Assert.InRange(percentInA, 0, 100);
        }

        await stop.CancelAsync();
        await writer;
    }

    [Fact]
    public void Nesting_NestedRunThatThrows_UndoesOnlyItsOwnWrites()
    {
        var order = new TVar<string>("new", "order");
        var stock = new TVar<int>(0, "stock");

        // snippet: nested
        Atomic.Run(() =>
        {
            order.Value = "placed";
            try
            {
                Atomic.Run(() =>
                {
                    stock.Value -= 1;
                    if (stock.Value < 0)
                    {
                        throw new InvalidOperationException("out of stock");
                    }
                });
            }
            catch (InvalidOperationException)
            {
                order.Value = "back-ordered";   // the nested write to stock is undone; this one commits
            }
        });
        // end snippet: nested

        Assert.Equal("back-ordered", order.Value);
        Assert.Equal(0, stock.Value);
    }

    [Fact]
    public void Handlers_AfterCommitThatThrows_ReachesTheCallerAfterTheCommit()
    {
        var balance = new TVar<decimal>(100m, "balance");
        bool laterHandlerRan = false;

        // snippet: after-commit-throws
        try
        {
            Atomic.Run(() =>
            {
                balance.Value -= 30m;
                Atomic.AfterCommit(() => throw new InvalidOperationException("mail server down"));
                Atomic.AfterCommit(() => laterHandlerRan = true);   // still runs
            });
        }
        catch (InvalidOperationException)
        {
            // The transaction has committed: balance.Value is 70. Only the side effect failed.
        }
        // end snippet: after-commit-throws

        Assert.Equal(70m, balance.Value);
        Assert.True(laterHandlerRan);
    }

    [Fact]
    public void Handlers_SeveralAfterCommitsThrow_AggregateException()
    {
        var x = new TVar<int>(0);

        var error = Assert.Throws<AggregateException>(() => Atomic.Run(() =>
        {
            x.Value = 1;
            Atomic.AfterCommit(() => throw new InvalidOperationException("first"));
            Atomic.AfterCommit(() => throw new InvalidOperationException("second"));
        }));

        Assert.Equal(["first", "second"], error.InnerExceptions.Select(static e => e.Message));
        Assert.Equal(1, x.Value);
    }

    [Fact]
    public void Handlers_BodyThrows_TheBodysExceptionReachesTheCallerEvenIfAnAfterRollbackThrows()
    {
        var x = new TVar<int>(0);
        var log = new List<string>();
        var thrown = new InvalidOperationException("from the body");

        var caught = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            x.Value = 1;
            Atomic.AfterRollback(() => log.Add("first"));
            Atomic.AfterRollback(() => throw new InvalidOperationException("from a handler"));
            Atomic.AfterRollback(() => log.Add("third"));
            throw thrown;
        }));

        Assert.Same(thrown, caught);
        Assert.Equal(["first", "third"], log);
        Assert.Equal(0, x.Value);
    }

    [Fact]
    public void Handlers_AfterRollbackThatThrowsAfterARetry_TheRunWaitsCommitsAndThenReportsIt()
    {
        var gate = new TVar<bool>(false, "handler-retry-gate");
        Exception? caught = null;
        bool committed = false;
        var waiter = new Thread(() => caught = Record.Exception(() => committed = Atomic.TryRun(() =>
        {
            Atomic.AfterRollback(() => throw new InvalidOperationException("from a handler"));
            Atomic.Check(gate.Value);
        }, TimeSpan.FromSeconds(30))));
        waiter.Start();

        // The failed handler does not end the run: it parks in Retry as usual.
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!StmDiagnostics.GetSnapshot().WaitingTransactions.Any(w => w.WaitsOn.Any(t => t.Name == "handler-retry-gate")))
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "the run did not park in Retry");
            Thread.Sleep(5);
        }

        gate.Write(true);
        Assert.True(waiter.Join(TimeSpan.FromSeconds(30)));

        Assert.Equal("from a handler", caught?.Message);
        Assert.Equal(true, caught!.Data["Stm.TransactionCommitted"]);
        Assert.False(committed);   // TryRun did not return: the handler's failure reached the caller after the commit
    }

    [Fact]
    public void Handlers_AfterRollbackThatThrowsAfterAConflict_TheRunReRunsCommitsAndThenReportsIt()
    {
        var x = new TVar<int>(0, "x");
        var y = new TVar<int>(0, "y");
        using var firstAttemptRead = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int attempts = 0;

        Exception? caught = null;
        var loser = new Thread(() =>
        {
            try
            {
                Atomic.Run(() =>
                {
                    int seen = x.Value;
#pragma warning disable STM0003 // numbers the attempts and waits on purpose, to force one conflict
                    if (Interlocked.Increment(ref attempts) == 1)
                    {
                        Atomic.AfterRollback(() => throw new InvalidOperationException("from a handler"));
                        firstAttemptRead.Set();
                        otherCommitted.Wait(TimeSpan.FromSeconds(30));
                    }
#pragma warning restore STM0003
                    y.Value = seen + 1;
                });
            }
            catch (InvalidOperationException error)
            {
                caught = error;
            }
        });
        loser.Start();

        Assert.True(firstAttemptRead.Wait(TimeSpan.FromSeconds(30)));
        x.Write(10);
        otherCommitted.Set();
        Assert.True(loser.Join(TimeSpan.FromSeconds(30)));

        Assert.Equal("from a handler", caught?.Message);
        Assert.Equal(true, caught!.Data["Stm.TransactionCommitted"]);
        Assert.Equal(2, attempts);   // re-run after the conflict
        Assert.Equal(11, y.Value);   // and committed
    }

    [Fact]
    public void Handlers_RunOutsideTheTransactionInRegistrationOrder()
    {
        var x = new TVar<int>(0);
        var log = new ConcurrentQueue<string>();

        Atomic.Run(() =>
        {
            x.Value = 1;
            Atomic.AfterCommit(() => log.Enqueue($"1 {Atomic.InTransaction}"));
            Atomic.Run(() => Atomic.AfterCommit(() => log.Enqueue($"2 {Atomic.InTransaction}")));
            Atomic.AfterCommit(() => log.Enqueue($"3 {x.Value}"));
        });

        Assert.Equal(["1 False", "2 False", "3 1"], log);
    }

    [Fact]
    public void ValueSetter_OutsideATransaction_ThrowsAndTheThreeFixesWork()
    {
        var x = new TVar<int>(0, "x");

        // snippet: value-setter
        Atomic.Run(() => x.Value++);   // read and write in one transaction
        x.Modify(v => v + 1);          // the same, as one call
        x.Write(10);                   // a plain store: one atomic committed write
        // end snippet: value-setter

        Assert.Equal(10, x.Value);
#pragma warning disable STM0002 // the mistake the page describes
        var error = Assert.Throws<InvalidOperationException>(() => x.Value = 11);
#pragma warning restore STM0002
        Assert.Contains("Modify", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, x.Value);
    }

    [Fact]
    public void Nesting_TenThousandLevels_RunOnAThreadWithAnEightMegabyteStack()
    {
        const int Levels = 10_000;
        var counter = new TVar<int>(0, "counter");
        Exception? failure = null;

        void Nest(int depth)
        {
            if (depth == 0)
            {
                counter.Value++;
            }
            else if (depth % 2 == 0)
            {
                Atomic.Run(() => Nest(depth - 1));
            }
            else
            {
                Atomic.OrElse(() => Nest(depth - 1), static () => { });
            }
        }

        var thread = new Thread(
            () =>
            {
                try
                {
                    Atomic.Run(() => Nest(Levels));
                }
                catch (Exception error)
                {
                    failure = error;
                }
            },
            maxStackSize: 8 * 1024 * 1024);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)));

        Assert.Null(failure);
        Assert.Equal(1, counter.Value);
    }
}
