using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Bank;
using Stm;
using Stm.Collections;

namespace DocSnippets;

/// <summary>docs/getting-started.md.</summary>
public sealed class GettingStarted
{
    [Fact]
    public async Task Accounts_TransfersFromManyThreads_KeepTheTotal()
    {
        // snippet: accounts-use
        var accounts = new Accounts(count: 10, opening: 100m);

        Task[] tellers = [.. Enumerable.Range(0, 4).Select(teller => Task.Run(() =>
        {
            var random = new Random(teller);
            for (int i = 0; i < 10_000; i++)
            {
                accounts.Transfer(random.Next(10), random.Next(10), random.Next(1, 50));
            }
        }))];

        // Meanwhile, every audit sees the same total: 1000.
        while (!tellers.All(static t => t.IsCompleted))
        {
            if (accounts.Total() != 1000m)
            {
                throw new InvalidOperationException("a torn snapshot");
            }
        }
        // end snippet: accounts-use

        await Task.WhenAll(tellers);
        Assert.Equal(1000m, accounts.Total());
    }

    [Fact]
    public async Task Check_WaitsUntilTheBalanceCoversTheWithdrawal()
    {
        // snippet: check
        var balance = new TVar<decimal>(0m, "balance");

        // Waits, without polling, until the balance covers the withdrawal, then takes it.
        Task withdrawal = Task.Run(() => Atomic.Run(() =>
        {
            Atomic.Check(balance.Value >= 50m);
            balance.Value -= 50m;
        }));

        balance.Modify(b => b + 80m);   // this commit writes `balance`, so it wakes the waiter
        await withdrawal;               // balance.Value is now 30
        // end snippet: check

        Assert.Equal(30m, balance.Value);

        // snippet: try-run
        bool withdrawn = Atomic.TryRun(() =>
        {
            Atomic.Check(balance.Value >= 1_000m);
            balance.Value -= 1_000m;
        }, TimeSpan.FromMilliseconds(100));   // false after 100 ms: nothing was committed
        // end snippet: try-run

        Assert.False(withdrawn);
        Assert.Equal(30m, balance.Value);

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        CancellationToken cancellationToken = cancellation.Token;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            // snippet: run-async
            // The same wait without blocking a thread: the body is the same synchronous body.
            await Atomic.RunAsync(() =>
            {
                Atomic.Check(balance.Value >= 1_000m);
                balance.Value -= 1_000m;
            }, cancellationToken);
            // end snippet: run-async
        });
        Assert.Equal(30m, balance.Value);
    }

    [Fact]
    public async Task OrElse_TakesFromWhicheverBoxHasAValue()
    {
        // snippet: orelse
        var fromDisk = new TMVar<string>();
        var fromNetwork = new TMVar<string>();

        // The first box that has a value; if neither has, wait until one of them does.
        Task<string> first = Task.Run(() => Atomic.Run(() => Atomic.OrElse(fromDisk.Take, fromNetwork.Take)));

        fromNetwork.Put("page from the network");
        string page = await first;

        // OrElse with a branch that never waits: take a value if there is one, or go on without.
        string? cached = Atomic.Run(() => Atomic.OrElse<string?>(fromDisk.Take, () => null));
        // end snippet: orelse

        Assert.Equal("page from the network", page);
        Assert.Null(cached);
    }

    [Fact]
    public void Collections_TakeAJobAndRecordItsOwnerTogether()
    {
        // snippet: collection
        var pending = new TQueue<string>();
        var owners = new TMap<string, string>();

        pending.Enqueue("resize images");   // outside a transaction: its own atomic operation

        // Inside one: take the next job and record who owns it, both or neither.
        string job = Atomic.Run(() =>
        {
            string next = pending.Dequeue();   // waits (Retry) while the queue is empty
            owners[next] = "worker-1";
            return next;
        });
        // end snippet: collection

        Assert.Equal("resize images", job);
        Assert.Equal("worker-1", owners["resize images"]);
        Assert.True(pending.IsEmpty);
    }

    [Fact]
    public async Task Checkout_HandWrittenLoop_CommitsTheQuote()
    {
        var price = new TVar<decimal>(10m, "price");
        CancellationToken cancellationToken = CancellationToken.None;

        // snippet: checkout-loop
        while (true)
        {
            using Checkout checkout = Atomic.Checkout();
            try
            {
                decimal current = checkout.Read(price);
                decimal quoted = await QuoteAsync(current, cancellationToken);
                checkout.Write(price, quoted);
                if (checkout.TryCommit())
                {
                    break;   // committed
                }
            }
            catch (ConflictException)
            {
                // A block saw the clash before the commit did.
            }

            // Someone else committed `price` since the check-out: nothing was written; check out again.
        }
        // end snippet: checkout-loop

        Assert.Equal(11m, price.Value);

        // snippet: checkout-run-async
        await Atomic.RunAsync(async (checkout, ct) =>
        {
            decimal current = checkout.Read(price);
            decimal quoted = await QuoteAsync(current, ct);
            checkout.Write(price, quoted);
        }, cancellationToken);
        // end snippet: checkout-run-async

        Assert.Equal(12.1m, price.Value);
    }

    [Fact]
    public void Handlers_RunOnceAfterCommitOrAfterRollback()
    {
        var balance = new TVar<decimal>(100m, "balance");
        var log = new ConcurrentQueue<string>();

        // snippet: after-commit
        Atomic.Run(() =>
        {
            balance.Value -= 30m;
            Atomic.AfterCommit(() => log.Enqueue("withdrew 30"));      // once, after the commit
            Atomic.AfterRollback(() => log.Enqueue("attempt undone")); // after each rolled-back attempt
        });
        // end snippet: after-commit

        Assert.Equal(["withdrew 30"], log);
        Assert.Equal(70m, balance.Value);
    }

    [Fact]
    public void Mistakes_ValueSetterOutsideATransaction_Throws()
    {
        var hits = new TVar<int>(0, "hits");
        var balance = new TVar<decimal>(100m, "balance");

        Assert.Throws<InvalidOperationException>(() =>
        {
#pragma warning disable STM0002, STM0003 // the mistakes the page shows
            // snippet: mistakes
            hits.Value++;                         // STM0002: throws; two transactions would lose updates

            Atomic.Run(() =>
            {
                balance.Value -= 30m;
                Console.WriteLine("withdrew 30"); // STM0003: printed again every time the body re-runs
            });
            // end snippet: mistakes
#pragma warning restore STM0002, STM0003
        });

        // snippet: mistakes-fixed
        hits.Modify(h => h + 1);                  // or Atomic.Run(() => hits.Value++)

        Atomic.Run(() =>
        {
            balance.Value -= 30m;
            Atomic.AfterCommit(() => Console.WriteLine("withdrew 30"));
        });
        // end snippet: mistakes-fixed

        Assert.Equal(1, hits.Value);
        Assert.Equal(70m, balance.Value);
    }

    [Fact]
    public void Metrics_AListenerCountsCommits()
    {
        // snippet: metrics
        long commits = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Stm")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            if (instrument.Name == "stm.commits")
            {
                Interlocked.Add(ref commits, value);
            }
        });
        listener.Start();
        // end snippet: metrics

        new TVar<int>(0).Modify(static x => x + 1);
        Assert.True(Interlocked.Read(ref commits) >= 1);
    }

    private static async Task<decimal> QuoteAsync(decimal current, CancellationToken cancellationToken)
    {
        await Task.Delay(1, cancellationToken);
        return current * 1.1m;
    }
}
