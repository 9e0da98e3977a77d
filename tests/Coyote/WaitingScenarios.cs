using Microsoft.Coyote.Specifications;
using Stm.Internal;

namespace Stm.Tests.Coyote;

/// <summary>
/// Small concurrent programs whose transactions wait in <c>Retry</c> (synchronous <see cref="Atomic.Run(Action)"/>:
/// the waiter parks with <see cref="Monitor.Wait(object)"/> and is woken with <see cref="Monitor.PulseAll"/>,
/// both controlled by Coyote). A lost wake-up leaves a task parked forever, which Coyote reports as a
/// deadlock; the final checks catch lost or duplicated items. Every scenario builds its own TVars.
/// </summary>
internal static class WaitingScenarios
{
    /// <summary>Schedules (since <see cref="ResetTally"/>) in which at least one transaction retried and waited.</summary>
    private static int s_waited;

    /// <summary>Schedules of <see cref="CancellationRacesWakeUp"/> in which the consumer committed.</summary>
    private static int s_committed;

    /// <summary>Schedules of <see cref="CancellationRacesWakeUp"/> in which the consumer was cancelled.</summary>
    private static int s_cancelled;

    /// <summary>Gets the number of explored schedules in which a transaction actually parked in <c>Retry</c>.</summary>
    public static int SchedulesThatWaited => Volatile.Read(ref s_waited);

    /// <summary>Gets the number of explored cancellation schedules that ended committed.</summary>
    public static int SchedulesCommitted => Volatile.Read(ref s_committed);

    /// <summary>Gets the number of explored cancellation schedules that ended cancelled.</summary>
    public static int SchedulesCancelled => Volatile.Read(ref s_cancelled);

    /// <summary>Clears the tallies before an exploration (tests of this assembly never run in parallel).</summary>
    public static void ResetTally()
    {
        Volatile.Write(ref s_waited, 0);
        Volatile.Write(ref s_committed, 0);
        Volatile.Write(ref s_cancelled, 0);
    }

    /// <summary>
    /// A consumer takes two items, one transaction each, waiting while the TVar is zero; a producer
    /// adds them one commit at a time. Every item is consumed and nobody stays parked.
    /// </summary>
    public static void ConsumerWaitsForProducer()
    {
        var items = new TVar<int>(0, "items");
        int consumed = 0;
        long retries = 0;
        Task consumer = Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            for (int i = 0; i < 2; i++)
            {
                Atomic.Run(() =>
                {
                    Atomic.Check(items.Value > 0);
                    items.Value--;
                });
                consumed++;
            }

            retries = TransactionStatistics.Retries - before;
        });
        Task producer = Task.Run(() =>
        {
            Atomic.Run(() => items.Value++);
            Atomic.Run(() => items.Value++);
        });
        Task.WaitAll(new[] { consumer, producer });
        Specification.Assert(consumed == 2 && items.Value == 0, $"lost or duplicated item: consumed={consumed}, items={items.Value}");
        TallyWait(retries);
    }

    /// <summary>
    /// Two consumers wait on one TVar; a producer adds two items in two commits. Both consumers
    /// complete (in any order) and the TVar ends empty.
    /// </summary>
    public static void TwoConsumersOneProducer()
    {
        var items = new TVar<int>(0, "items");
        int consumed = 0;
        long retries = 0;
        Task[] consumers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            Atomic.Run(() =>
            {
                Atomic.Check(items.Value > 0);
                items.Value--;
            });
            Interlocked.Increment(ref consumed);
            Interlocked.Add(ref retries, TransactionStatistics.Retries - before);
        }))];
        Task producer = Task.Run(() =>
        {
            Atomic.Run(() => items.Value++);
            Atomic.Run(() => items.Value++);
        });
        Task[] all = [.. consumers, producer];
        Task.WaitAll(all);
        Specification.Assert(Volatile.Read(ref consumed) == 2 && items.Value == 0, $"lost or duplicated item: consumed={consumed}, items={items.Value}");
        TallyWait(Volatile.Read(ref retries));
    }

    /// <summary>
    /// <c>OrElse</c> whose both branches retry: the transaction must wait on the TVars of both branches
    /// and wake when a writer fills the second one; it then takes from the second branch.
    /// </summary>
    public static void OrElseWaitsOnBothBranches()
    {
        var left = new TVar<int>(0, "left");
        var right = new TVar<int>(0, "right");
        string chosen = "none";
        long retries = 0;
        Task chooser = Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            chosen = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                Atomic.Check(left.Value > 0);
                left.Value--;
                return "left";
            },
            () =>
            {
                Atomic.Check(right.Value > 0);
                right.Value--;
                return "right";
            }));
            retries = TransactionStatistics.Retries - before;
        });
        Task writer = Task.Run(() => Atomic.Run(() => right.Value = 1));
        Task.WaitAll(new[] { chooser, writer });
        Specification.Assert(chosen == "right" && right.Value == 0 && left.Value == 0, $"OrElse took the wrong branch or lost the item: chosen={chosen}, left={left.Value}, right={right.Value}");
        TallyWait(retries);
    }

    /// <summary>
    /// A consumer waits with a cancellation token; a producer commits one item while another task
    /// cancels the token. The consumer either commits (the item is gone) or throws
    /// <see cref="OperationCanceledException"/> (the item is still there): never both, never neither.
    /// Then the consumer waits again, without a token, for a second item that the test adds only
    /// once the producer and the canceller have finished: the first wait's cancellation callback may
    /// still be running when the consumer parks again (the canceller can be stopped anywhere inside
    /// it), possibly on a pooled waiter, and must not cancel that second wait.
    /// </summary>
    public static void CancellationRacesWakeUp()
    {
        var items = new TVar<int>(0, "items");
        var more = new TVar<int>(0, "more");
        using var cts = new CancellationTokenSource();
        string outcome = "none";
        long retries = 0;
        Task consumer = Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            try
            {
                Atomic.Run(
                    () =>
                    {
                        Atomic.Check(items.Value > 0);
                        items.Value--;
                    },
                    cts.Token);
                outcome = "committed";
            }
            catch (OperationCanceledException)
            {
                outcome = "cancelled";
            }

            retries = TransactionStatistics.Retries - before;

            // No token: an OperationCanceledException here escapes the task, and Coyote reports it.
            Atomic.Run(() =>
            {
                Atomic.Check(more.Value > 0);
                more.Value--;
            });
        });
        Task producer = Task.Run(() => Atomic.Run(() => items.Value++));
        Task canceller = Task.Run(cts.Cancel);
        Task.WaitAll(new[] { producer, canceller });

        // Only now, with the canceller finished, may anything end the second wait: a late callback
        // that reached it has cancelled it by now.
        Atomic.Run(() => more.Value++);
        Task.WaitAll(new[] { consumer });
        int left = items.Value;
        Specification.Assert(
            (outcome == "committed" && left == 0) || (outcome == "cancelled" && left == 1),
            $"cancellation and wake-up disagree: outcome={outcome}, items left={left}");
        Specification.Assert(more.Value == 0, $"the second wait did not take the second item: more={more.Value}");
        TallyWait(retries);
        if (outcome == "committed")
        {
            Interlocked.Increment(ref s_committed);
        }
        else
        {
            Interlocked.Increment(ref s_cancelled);
        }
    }

    /// <summary>
    /// Two waiters park on one TVar; a writer, once both are parked, wakes them without satisfying
    /// them (each re-runs and parks again, in whatever order the schedule picks), then, once both are
    /// parked again, satisfies them; an observer looks at the TVar's wait list throughout. A commit
    /// signals the list from its head, so under every schedule it must hold the waiters' tickets in
    /// ascending order: the order in which they first parked, which a re-park keeps.
    /// </summary>
    public static void WaitListStaysInTicketOrder()
    {
        var gate = new TVar<int>(0, "gate");
        long retries = 0;
        int finished = 0;
        string? outOfOrder = null;
        Task[] waiters = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            Atomic.Run(() => Atomic.Check(gate.Value >= 2));
            Interlocked.Add(ref retries, TransactionStatistics.Retries - before);
            Interlocked.Increment(ref finished);
        }))];
        Task writer = Task.Run(() =>
        {
            WaitUntilParked(gate, 2);
            gate.Write(1);
            WaitUntilParked(gate, 2);
            gate.Write(2);
        });
        Task observer = Task.Run(() =>
        {
            while (Volatile.Read(ref finished) < 2 && outOfOrder is null)
            {
                long[] tickets = gate.WaitList?.Tickets ?? [];
                if (tickets.Zip(tickets.Skip(1)).Any(pair => pair.First >= pair.Second))
                {
                    outOfOrder = string.Join(", ", tickets);
                }

                Thread.Yield();
            }
        });
        Task[] all = [.. waiters, writer, observer];
        Task.WaitAll(all);
        Specification.Assert(outOfOrder is null, $"wake order: the wait list held tickets [{outOfOrder}], not the order they first parked in");
        TallyWait(Volatile.Read(ref retries));
    }

    /// <summary>
    /// Two consumers park one after the other on an empty stock; a producer, once both are parked,
    /// adds one item, and later a second. The consumer that parked first must take the first item:
    /// both are woken by the same commit, and the younger may commit only after the older has taken
    /// its turn.
    /// </summary>
    public static void OlderWaiterTakesTheItem()
    {
        var stock = new TVar<int>(0, "stock");
        var next = new TVar<int>(0, "next");
        var taken = new int[2];
        long retries = 0;
        int parked = 0;

        Task Consumer(int index) => Task.Run(() =>
        {
            long before = TransactionStatistics.Retries;
            taken[index] = Atomic.Run(() =>
            {
                Atomic.Check(stock.Value > 0);
                if (index == 0)
                {
                    // A slow body for the older consumer: scheduling points enough for the younger
                    // one to stop spinning and park while it waits for its turn.
                    for (int i = 0; i < 40; i++)
                    {
                        Thread.Yield();
                    }
                }

                stock.Value--;
                int item = next.Value;
                next.Value = item + 1;
                return item;
            });
            Interlocked.Add(ref retries, TransactionStatistics.Retries - before);
        });

        Task older = Consumer(0);
        WaitUntilParked(stock, ++parked);
        Task younger = Consumer(1);
        WaitUntilParked(stock, ++parked);
        Atomic.Run(() => stock.Value++);
        while (!older.IsCompleted && !younger.IsCompleted)
        {
            Thread.Yield();
        }

        Atomic.Run(() => stock.Value++);
        Task.WaitAll(new[] { older, younger });
        Specification.Assert(taken[0] == 0 && taken[1] == 1, $"wake order: the consumer that parked first took item {taken[0]}, the second item {taken[1]}");
        TallyWait(Volatile.Read(ref retries));
    }

    /// <summary>Yields until <paramref name="count"/> transactions are registered on <paramref name="tvar"/>'s wait list.</summary>
    private static void WaitUntilParked(TVar<int> tvar, int count)
    {
        while ((tvar.WaitList?.Count ?? 0) < count)
        {
            Thread.Yield();
        }
    }

    private static void TallyWait(long retries)
    {
        if (retries > 0)
        {
            Interlocked.Increment(ref s_waited);
        }
    }
}
