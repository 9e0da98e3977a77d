using Stm.Collections;
using Stm.Internal;
using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// Conflict granularity of the queues: one producer and one consumer on a queue that never runs
/// empty touch disjoint TVars, so they (almost) never abort each other. Conflicts are counted per
/// worker thread with <see cref="TransactionStatistics.Conflicts"/>. Each transaction does a little
/// work after its queue operation (<see cref="WorkInsideTransaction"/>) so that the two threads'
/// transactions really overlap even on a busy two-core machine: a queue kept in one TVar
/// (an immutable queue) shows about 3% conflicts per side under this harness.
/// </summary>
[Trait("Category", "Contention")]
public sealed class CollectionContentionTests(ITestOutputHelper output)
{
    private const int Items = 1000;

    /// <summary>Spin iterations inside each transaction, after its queue operation (a few microseconds).</summary>
    private const int WorkInsideTransaction = 2000;

    [Fact]
    public async Task TQueue_ProducerAndConsumerOnNonEmptyQueue_DoNotConflict()
    {
        var queue = new TQueue<int>(Enumerable.Range(-Items, Items));
        var (producerConflicts, consumerConflicts, received) = await RunPair(queue.Enqueue, queue.Dequeue);
        output.WriteLine($"producer conflicts {producerConflicts}, consumer conflicts {consumerConflicts}");
        Assert.Equal(Enumerable.Range(-Items, Items), received);
        Assert.Equal(Enumerable.Range(0, Items), queue);
        Assert.InRange(producerConflicts, 0, Items / 1000);
        Assert.InRange(consumerConflicts, 0, Items / 1000);
    }

    [Fact]
    public async Task TBoundedQueue_ProducerAndConsumerOnNonEmptyNonFullQueue_DoNotConflict()
    {
        var queue = new TBoundedQueue<int>(3 * Items);
        foreach (int i in Enumerable.Range(-Items, Items))
        {
            queue.Enqueue(i);
        }

        var (producerConflicts, consumerConflicts, received) = await RunPair(queue.Enqueue, queue.Dequeue);
        output.WriteLine($"producer conflicts {producerConflicts}, consumer conflicts {consumerConflicts}");
        Assert.Equal(Enumerable.Range(-Items, Items), received);
        Assert.Equal(Enumerable.Range(0, Items), queue);
        Assert.InRange(producerConflicts, 0, Items / 1000);
        Assert.InRange(consumerConflicts, 0, Items / 1000);
    }

    [Fact]
    public async Task TBoundedQueue_ProducerRefillingWriteCapacity_ConflictsRarely()
    {
        // Capacity 512 and 1000 items: the producer uses up its write capacity and refills it from
        // the consumer's side many times (it may also wait while full). Only those refills can meet
        // the consumer, so conflicts stay a small fraction of the items.
        var queue = new TBoundedQueue<int>(512);
        for (int i = -256; i < 0; i++)
        {
            queue.Enqueue(i);
        }

        var (producerConflicts, consumerConflicts, received) = await RunPair(queue.Enqueue, queue.Dequeue, consume: Items);
        output.WriteLine($"producer conflicts {producerConflicts}, consumer conflicts {consumerConflicts}");
        Assert.Equal(Enumerable.Range(-256, Items), received);
        Assert.InRange(producerConflicts + consumerConflicts, 0, Items / 20);
    }

    private static async Task<(long Producer, long Consumer, List<int> Received)> RunPair(
        Action<int> enqueue, Func<int> dequeue, int consume = Items)
    {
        using var start = new Barrier(2);
        var producer = WaitHarness.StartThread(() =>
        {
            Assert.True(start.SignalAndWait(WaitHarness.Timeout));
            long before = TransactionStatistics.Conflicts;
            for (int i = 0; i < Items; i++)
            {
                int item = i;
                Atomic.Run(() =>
                {
                    enqueue(item);
                    Thread.SpinWait(WorkInsideTransaction);
                });
            }

            return TransactionStatistics.Conflicts - before;
        });
        var consumer = WaitHarness.StartThread(() =>
        {
            Assert.True(start.SignalAndWait(WaitHarness.Timeout));
            long before = TransactionStatistics.Conflicts;
            var received = new List<int>(consume);
            for (int i = 0; i < consume; i++)
            {
                received.Add(Atomic.Run(() =>
                {
                    int item = dequeue();
                    Thread.SpinWait(WorkInsideTransaction);
                    return item;
                }));
            }

            return (TransactionStatistics.Conflicts - before, received);
        });

        long producerConflicts = await producer.WaitAsync(WaitHarness.Timeout);
        var (consumerConflicts, items) = await consumer.WaitAsync(WaitHarness.Timeout);
        return (producerConflicts, consumerConflicts, items);
    }
}
