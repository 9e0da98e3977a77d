using Stm;
using Stm.Collections;

namespace DocSnippets;

/// <summary>The tour in README.md.</summary>
public sealed class Readme
{
    [Fact]
    public void Transfer_MovesMoneyAtomicallyAndASnapshotSeesTheTotal()
    {
        // snippet: transfer
        var checking = new TVar<decimal>(100m, "checking");
        var savings = new TVar<decimal>(0m, "savings");

        // Both writes become visible together, or neither does.
        Atomic.Run(() =>
        {
            checking.Value -= 30m;
            savings.Value += 30m;
        });

        // A read-only transaction: one consistent snapshot, never aborted by writers.
        decimal total = Atomic.Run(() => checking.Value + savings.Value);
        // end snippet: transfer

        Assert.Equal(100m, total);
        Assert.Equal(70m, checking.Value);
        Assert.Equal(30m, savings.Value);
    }

    [Fact]
    public async Task RetryAndOrElse_TakeFromTheFirstSlotThatHasAnItem()
    {
        var urgent = new TVar<string?>(null, "urgent");
        var normal = new TVar<string?>("report", "normal");

        // snippet: retry-orelse
        // Takes the item in a slot, or waits (without polling) until a commit puts one there.
        static string Take(TVar<string?> slot)
        {
            string? item = slot.Value;
            if (item is null)
            {
                Atomic.Retry();
            }

            slot.Value = null;
            return item;
        }

        // The urgent slot if it has an item, else the normal one; if both are empty, wait for either.
        string next = Atomic.Run(() => Atomic.OrElse(() => Take(urgent), () => Take(normal)));
        // end snippet: retry-orelse

        Assert.Equal("report", next);

        // Both empty now: the next Take waits until a commit fills one of them.
        Task<string> waiting = Task.Run(() => Atomic.Run(() => Atomic.OrElse(() => Take(urgent), () => Take(normal))));
        urgent.Write("fire");
        Assert.Equal("fire", await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Collections_TakeAnAppleAndRecordTheOrderTogether()
    {
        // snippet: collections
        var stock = new TMap<string, int> { ["apples"] = 3 };
        var orders = new TQueue<string>();

        // Take an apple and record the order, both or neither; wait while none is in stock.
        Atomic.Run(() =>
        {
            Atomic.Check(stock.GetValueOrDefault("apples") > 0);
            stock["apples"]--;
            orders.Enqueue("apples");
        });
        // end snippet: collections

        Assert.Equal(2, stock["apples"]);
        Assert.Equal(["apples"], orders.ToArray());
    }

    [Fact]
    public async Task Checkout_AwaitsBetweenReadAndWrite()
    {
        // snippet: checkout
        var price = new TVar<decimal>(10m, "price");

        await Atomic.RunAsync(async (checkout, ct) =>
        {
            decimal current = checkout.Read(price);
            decimal quoted = await QuoteAsync(current, ct);   // no lock and no thread held meanwhile
            checkout.Write(price, quoted);                     // committed when the body returns;
        });                                                    // on a clash, the body runs again
        // end snippet: checkout

        Assert.Equal(11m, price.Value);
    }

    [Fact]
    public async Task Completion_EndsEveryConsumerOnceTheQueueIsDrained()
    {
        string[] input = [.. Enumerable.Range(1, 1000).Select(static i => $"line {i}")];

        // snippet: completion
        var lines = new TQueue<string>();

        // Four consumers; each line goes to exactly one of them.
        Task<int>[] consumers = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            int handled = 0;
            foreach (string line in lines.GetConsumingEnumerable())
            {
                handled++;
            }

            return handled;
        }))];

        foreach (string line in input)
        {
            lines.Enqueue(line);
        }

        lines.Complete();   // no more lines: every consumer's loop ends once the queue is drained
        int[] handledPerConsumer = await Task.WhenAll(consumers);
        // end snippet: completion

        Assert.Equal(input.Length, handledPerConsumer.Sum());
        Assert.True(lines.IsCompleted);
        Assert.True(lines.IsEmpty);
    }

    private static async Task<decimal> QuoteAsync(decimal current, CancellationToken cancellationToken)
    {
        await Task.Delay(1, cancellationToken);
        return current * 1.1m;
    }
}
