using Stm;
using Stm.Collections;

namespace DocSnippets;

/// <summary>docs/comparison.md.</summary>
public sealed class Comparison
{
    [Fact]
    public async Task Transfers_WithLocksAndWithTransactions_ConserveMoney()
    {
        var lockedA = new LockedAccount(1, 100m);
        var lockedB = new LockedAccount(2, 100m);
        var a = new TVar<decimal>(100m, "a");
        var b = new TVar<decimal>(100m, "b");

        await Task.WhenAll(
            Task.Run(() => Repeat(() => LockedTransfer(lockedA, lockedB, 1m))),
            Task.Run(() => Repeat(() => LockedTransfer(lockedB, lockedA, 1m))),
            Task.Run(() => Repeat(() => Transfer(a, b, 1m))),
            Task.Run(() => Repeat(() => Transfer(b, a, 1m))));

        Assert.Equal(200m, lockedA.Balance + lockedB.Balance);
        Assert.Equal(200m, Atomic.Run(() => a.Value + b.Value));

        static void Repeat(Action action)
        {
            for (int i = 0; i < 10_000; i++)
            {
                action();
            }
        }
    }

    [Fact]
    public void Queues_MoveAndChooseCompose()
    {
        var pending = new TQueue<string>(["job"]);
        var done = new TQueue<string>();
        var urgent = new TQueue<string>();
        var normal = new TQueue<string>(["later"]);

        // snippet: compose-queues
        // Move an item from one queue to another: never in neither, never in both.
        Atomic.Run(() => done.Enqueue(pending.Dequeue()));

        // Take from whichever queue has an item first, waiting on both while both are empty.
        string next = Atomic.Run(() => Atomic.OrElse(urgent.Dequeue, normal.Dequeue));
        // end snippet: compose-queues

        Assert.Equal(["job"], done.ToArray());
        Assert.True(pending.IsEmpty);
        Assert.Equal("later", next);
    }

    [Fact]
    public void Maps_UpdateTwoMapsTogether()
    {
        var reserved = new TMap<int, string> { [12] = "ada" };
        var sold = new TMap<int, string>();
        int seat = 12;

        // snippet: compose-maps
        // Two maps changed together: a reader sees the seat reserved or sold, never both, never neither.
        Atomic.Run(() =>
        {
            if (reserved.TryRemove(seat, out string? buyer))
            {
                sold.Add(seat, buyer);
            }
        });
        // end snippet: compose-maps

        Assert.Equal("ada", sold[12]);
        Assert.Empty(reserved);
    }

    // snippet: lock-transfer
    // With locks: both accounts' locks, always taken in one global order, or two opposite
    // transfers can deadlock. Every caller that touches two accounts must know the rule.
    private static void LockedTransfer(LockedAccount from, LockedAccount to, decimal amount)
    {
        (LockedAccount first, LockedAccount second) = from.Id < to.Id ? (from, to) : (to, from);
        lock (first.Gate)
        {
            lock (second.Gate)
            {
                from.Balance -= amount;
                to.Balance += amount;
            }
        }
    }
    // end snippet: lock-transfer

    // snippet: stm-transfer
    // With transactions: no order to follow, and the method composes into larger transactions.
    private static void Transfer(TVar<decimal> from, TVar<decimal> to, decimal amount) =>
        Atomic.Run(() =>
        {
            from.Value -= amount;
            to.Value += amount;
        });
    // end snippet: stm-transfer

    private sealed class LockedAccount(int id, decimal balance)
    {
        public int Id { get; } = id;

        public object Gate { get; } = new();

        public decimal Balance { get; set; } = balance;
    }
}
