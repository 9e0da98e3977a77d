using Microsoft.Coyote.Specifications;

namespace Stm.Tests.Coyote;

/// <summary>
/// Small concurrent programs over the engine, each ending in a check that holds under every correct
/// schedule. Coyote runs each one many times under different schedules; a schedule that breaks the
/// check (or deadlocks, or throws) is a bug. Every scenario builds its own TVars: it runs once per
/// iteration.
/// </summary>
internal static class EngineScenarios
{
    /// <summary>Three transactions increment one TVar; no increment may be lost.</summary>
    public static void ConcurrentIncrements()
    {
        var counter = new TVar<int>(0, "counter");
        Task[] workers = [.. Enumerable.Range(0, 3).Select(_ => Task.Run(() => Atomic.Run(() => counter.Value = counter.Value + 1)))];
        Task.WaitAll(workers);
        int final = counter.Value;
        Specification.Assert(final == 3, $"lost update: 3 committed increments left the counter at {final}");
    }

    /// <summary>
    /// Two transactions move money between the same two accounts in opposite directions (one with
    /// read/write pairs, one with <c>Modify</c>); both transfers land.
    /// </summary>
    public static void ConcurrentTransfers()
    {
        var a = new TVar<int>(100, "a");
        var b = new TVar<int>(100, "b");
        Task t1 = Task.Run(() => Atomic.Run(() => { a.Value -= 30; b.Value += 30; }));
        Task t2 = Task.Run(() => Atomic.Run(() => { b.Value -= 50; a.Modify(x => x + 50); }));
        Task.WaitAll(new[] { t1, t2 });
        Specification.Assert(a.Value == 120 && b.Value == 80, $"transfers lost or torn: a={a.Value}, b={b.Value}");
    }

    /// <summary>
    /// The doctors-on-call write skew: each transaction takes one doctor off call only if both are on
    /// call. Serializability keeps at least one on call.
    /// </summary>
    public static void WriteSkew()
    {
        var alice = new TVar<bool>(true, "alice");
        var bob = new TVar<bool>(true, "bob");
        Task t1 = Task.Run(() => Atomic.Run(() =>
        {
            if (alice.Value && bob.Value)
            {
                alice.Value = false;
            }
        }));
        Task t2 = Task.Run(() => Atomic.Run(() =>
        {
            if (alice.Value && bob.Value)
            {
                bob.Value = false;
            }
        }));
        Task.WaitAll(new[] { t1, t2 });
        Specification.Assert(alice.Value || bob.Value, "write skew: both doctors went off call");
    }

    /// <summary>
    /// A writer moves money between two TVars twice while a read-only reader and an updating reader
    /// sum them. Opacity: every attempt, even one that later aborts, sees a + b == 100.
    /// </summary>
    public static void TornSnapshot()
    {
        var a = new TVar<int>(50, "a");
        var b = new TVar<int>(50, "b");
        var audit = new TVar<int>(0, "audit");
        int torn = 0;
        Task writer = Task.Run(() =>
        {
            for (int i = 0; i < 2; i++)
            {
                Atomic.Run(() => { a.Value -= 10; b.Value += 10; });
            }
        });
        Task readOnly = Task.Run(() => Atomic.Run(() =>
        {
            int x = a.Value;
            int y = b.Value;
            if (x + y != 100)
            {
                Interlocked.Increment(ref torn);
            }
        }));
        Task updating = Task.Run(() => Atomic.Run(() =>
        {
            int x = a.Value;
            audit.Value += 1;
            int y = b.Value;
            if (x + y != 100)
            {
                Interlocked.Increment(ref torn);
            }
        }));
        Task.WaitAll(new[] { writer, readOnly, updating });
        Specification.Assert(Volatile.Read(ref torn) == 0, $"torn snapshot: {torn} attempt(s) saw a + b != 100");
        Specification.Assert(a.Value + b.Value == 100 && a.Value == 30, $"final state wrong: a={a.Value}, b={b.Value}");
    }

    /// <summary>A consumer waits in Retry for a flag that a producer sets; the consumer must wake.</summary>
    public static void RetryHandOff()
    {
        var flag = new TVar<int>(0, "flag");
        var taken = new TVar<int>(0, "taken");
        Task consumer = Task.Run(() => Atomic.Run(() =>
        {
            int value = flag.Value;
            Atomic.Check(value != 0);
            flag.Value = 0;
            taken.Value = value;
        }));
        Task producer = Task.Run(() => Atomic.Run(() => flag.Value = 7));
        Task.WaitAll(new[] { consumer, producer });
        Specification.Assert(taken.Value == 7 && flag.Value == 0, $"hand-off lost: taken={taken.Value}, flag={flag.Value}");
    }

    /// <summary>
    /// Two consumers wait for items counted in one TVar; a producer adds two, one commit at a time.
    /// Both consumers must wake and take exactly one each.
    /// </summary>
    public static void TwoWaitersTwoItems()
    {
        var available = new TVar<int>(0, "available");
        var consumed = new TVar<int>(0, "consumed");
        Action consume = () => Atomic.Run(() =>
        {
            Atomic.Check(available.Value > 0);
            available.Value -= 1;
            consumed.Value += 1;
        });
        Task c1 = Task.Run(consume);
        Task c2 = Task.Run(consume);
        Task producer = Task.Run(() =>
        {
            Atomic.Run(() => available.Value += 1);
            Atomic.Run(() => available.Value += 1);
        });
        Task.WaitAll(new[] { c1, c2, producer });
        Specification.Assert(consumed.Value == 2 && available.Value == 0, $"items lost: consumed={consumed.Value}, available={available.Value}");
    }

    /// <summary>
    /// A consumer waits on both branches of an OrElse; the producer fills only the second. The waiter
    /// must wake on a TVar read only by the second branch.
    /// </summary>
    public static void OrElseWakesOnSecondBranch()
    {
        var left = new TVar<int>(0, "left");
        var right = new TVar<int>(0, "right");
        var result = new TVar<string>("none", "result");
        Task consumer = Task.Run(() => Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                Atomic.Check(left.Value != 0);
                result.Value = "left";
            },
            () =>
            {
                Atomic.Check(right.Value != 0);
                result.Value = "right";
            })));
        Task producer = Task.Run(() => Atomic.Run(() => right.Value = 1));
        Task.WaitAll(new[] { consumer, producer });
        Specification.Assert(result.Value == "right", $"OrElse consumer finished with {result.Value}");
    }

    /// <summary>
    /// Two committers write the same two TVars in opposite orders. Neither may block the other forever
    /// (Coyote reports a deadlock if all tasks block), and the result is one of the two serial orders.
    /// </summary>
    public static void OppositeOrderWriters()
    {
        var a = new TVar<int>(0, "a");
        var b = new TVar<int>(0, "b");
        Task t1 = Task.Run(() => Atomic.Run(() => { a.Value = 1; b.Value = 1; }));
        Task t2 = Task.Run(() => Atomic.Run(() => { b.Value = 2; a.Value = 2; }));
        Task.WaitAll(new[] { t1, t2 });
        Specification.Assert(a.Value == b.Value && a.Value != 0, $"not a serial outcome: a={a.Value}, b={b.Value}");
    }

    /// <summary>
    /// Concurrent commutes on one counter never conflict with each other and all apply; a reader of the
    /// counter sees some prefix of them.
    /// </summary>
    public static void CommutingCounters()
    {
        var counter = new TVar<long>(0, "commuted");
        int badReads = 0;
        Task[] adders = [.. Enumerable.Range(1, 3).Select(i => Task.Run(() => Atomic.Run(() => counter.Commute(x => x + i))))];
        Task reader = Task.Run(() => Atomic.Run(() =>
        {
            long seen = counter.Value;
            if (seen is not (0 or 1 or 2 or 3 or 4 or 5 or 6))
            {
                Interlocked.Increment(ref badReads);
            }
        }));
        Task[] all = [.. adders, reader];
        Task.WaitAll(all);
        Specification.Assert(counter.Value == 6, $"commutes lost: counter={counter.Value}");
        Specification.Assert(Volatile.Read(ref badReads) == 0, "a reader saw a value no prefix of the commutes produces");
    }

    /// <summary>
    /// A consumer waits with a cancellation token while a producer commits and a third task cancels.
    /// Either the consumer takes the item (and commits) or it throws <see cref="OperationCanceledException"/>
    /// and commits nothing; it never hangs, and the item is never both taken and left.
    /// </summary>
    public static void CancellationRacesWakeUp()
    {
        var item = new TVar<int>(0, "item");
        var taken = new TVar<int>(0, "taken");
        using var cts = new CancellationTokenSource();
        bool cancelled = false;
        Task consumer = Task.Run(() =>
        {
            try
            {
                Atomic.Run(
                    () =>
                    {
                        int value = item.Value;
                        Atomic.Check(value != 0);
                        item.Value = 0;
                        taken.Value = value;
                    },
                    cts.Token);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
            }
        });
        Task producer = Task.Run(() => Atomic.Run(() => item.Value = 5));
        Task canceller = Task.Run(cts.Cancel);
        Task.WaitAll(new[] { consumer, producer, canceller });
        if (cancelled)
        {
            Specification.Assert(taken.Value == 0 && item.Value == 5, $"cancelled consumer committed: item={item.Value}, taken={taken.Value}");
        }
        else
        {
            Specification.Assert(taken.Value == 5 && item.Value == 0, $"item lost or duplicated: item={item.Value}, taken={taken.Value}");
        }
    }

    /// <summary>
    /// An asynchronous waiter (<see cref="Atomic.RunAsync(Action, CancellationToken)"/>) parks in Retry
    /// and a producer wakes it.
    /// </summary>
    public static void AsyncWaiterWakes()
    {
        var flag = new TVar<int>(0, "flag");
        var seen = new TVar<int>(0, "seen");
        Task consumer = Task.Run(async () => await Atomic.RunAsync(() =>
        {
            Atomic.Check(flag.Value != 0);
            seen.Value = flag.Value;
        }));
        Task producer = Task.Run(() => Atomic.Run(() => flag.Value = 3));
        Task.WaitAll(new[] { consumer, producer });
        Specification.Assert(seen.Value == 3, $"async waiter saw {seen.Value}");
    }
}
