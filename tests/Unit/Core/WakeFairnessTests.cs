using Stm.Collections;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// The oldest waiter gets what a commit makes available: consumers parked one after another (more
/// of them than cores) are fed one item at a time, and each item must go to the consumer that has
/// waited longest. These tests look only at who received what, not at the engine's wait lists. They
/// run alone: the park order is known from the diagnostics snapshot, which lists every waiter of the
/// process.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class WakeFairnessTests
{
    /// <summary>More consumers than cores, so that woken consumers really compete for the cores.</summary>
    private static readonly int Consumers = Environment.ProcessorCount + 4;

    [Fact]
    public void Dequeue_ConsumersParkedOneAfterAnother_ReceiveTheItemsInParkOrder()
    {
        var queue = new TQueue<int>();

        int[] received = FeedParkedConsumers(queue.Dequeue, queue.Enqueue);

        Assert.Equal(Enumerable.Range(0, Consumers), received);
    }

    [Fact]
    public void RetryOnATVar_WaitersParkedOneAfterAnother_TakeTheItemsInParkOrder()
    {
        var stock = new TVar<int>(0, "fair-stock");
        var next = new TVar<int>(0, "fair-next");

        int Take() => Atomic.Run(() =>
        {
            Atomic.Check(stock.Value > 0);
            stock.Value--;
            int item = next.Value;
            next.Value = item + 1;
            return item;
        });

        int[] received = FeedParkedConsumers(Take, _ => Atomic.Run(() => stock.Value++));

        Assert.Equal(Enumerable.Range(0, Consumers), received);
    }

    /// <summary>
    /// Starts <see cref="Consumers"/> threads that each call <paramref name="take"/> once, each only
    /// after the one before it has parked, then adds the items 0, 1, ... one at a time through
    /// <paramref name="add"/>, each once every consumer still waiting has parked again. Returns what
    /// each consumer received, in park order.
    /// </summary>
    private static int[] FeedParkedConsumers(Func<int> take, Action<int> add)
    {
        var received = new int[Consumers];
        var threadIds = new int[Consumers];
        var consumers = new TestThread[Consumers];
        for (int k = 0; k < Consumers; k++)
        {
            int index = k;
            consumers[k] = TestThread.Start(
                () =>
                {
                    Volatile.Write(ref threadIds[index], Environment.CurrentManagedThreadId);
                    received[index] = take();
                },
                $"consumer {k}");
            Bounded.Until(() => IsParked(consumers[index], threadIds[index]), $"consumer {k} to park");
        }

        for (int item = 0; item < Consumers; item++)
        {
            // Parked again, and done with every wake so far (a consumer's commit wakes the others
            // too): a consumer that is still listed and blocked may have been signalled already.
            Bounded.Until(
                () => WakeTurn.Awake == 0
                    && Enumerable.Range(0, Consumers).All(k => consumers[k].IsFinished || IsParked(consumers[k], threadIds[k])),
                $"every consumer still waiting to park before item {item}");
            add(item);
            int served = item + 1;
            Bounded.Until(() => consumers.Count(c => c.IsFinished) == served, $"a consumer to take item {item}");
        }

        foreach (var consumer in consumers)
        {
            consumer.Join();
        }

        return received;
    }

    /// <summary>
    /// True when the thread with <paramref name="threadId"/> is listed as waiting in Retry and is
    /// blocked: listed means it has its ticket, and a listed thread blocks only in its wait.
    /// </summary>
    private static bool IsParked(TestThread thread, int threadId) =>
        threadId != 0
        && thread.IsBlocked
        && StmDiagnostics.GetSnapshot().WaitingTransactions.Any(w => w.ManagedThreadId == threadId);
}
