using FsCheck.Xunit;
using Stm.Collections;
using Xunit;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// The queues under many threads (more than cores): every item is delivered exactly once, each
/// consumer sees each producer's items in the order they were produced, and transactions that move
/// items between two queues keep the total constant in every attempt.
/// </summary>
[Trait("Category", "Stress")]
public sealed class QueueConcurrencyProperties
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    [Property(MaxTest = 12, Arbitrary = [typeof(QueueArbitraries)])]
    public void ProducersAndConsumers_DeliverEveryItemOnceInPerProducerOrder(QueueShape shape)
    {
        var (producers, consumers, items, capacity) = shape;
        Action<int> enqueue;
        Func<int> dequeue;
        if (capacity == 0)
        {
            var queue = new TQueue<int>();
            (enqueue, dequeue) = (queue.Enqueue, queue.Dequeue);
        }
        else
        {
            var queue = new TBoundedQueue<int>(capacity);
            (enqueue, dequeue) = (queue.Enqueue, queue.Dequeue);
        }

        // Item = producer * 1_000_000 + sequence number.
        int remaining = producers * items;
        using var start = new Barrier(producers + consumers);
        var producerTasks = Enumerable.Range(0, producers).Select(p => Start(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < items; i++)
            {
                enqueue((p * 1_000_000) + i);
            }

            return new List<int>();
        })).ToArray();
        var consumerTasks = Enumerable.Range(0, consumers).Select(_ => Start(() =>
        {
            start.SignalAndWait();
            var received = new List<int>();
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                received.Add(dequeue());
            }

            return received;
        })).ToArray();
        var all = producerTasks.Concat(consumerTasks).ToArray();
        if (!Task.WaitAll(all, s_timeout))
        {
            throw new TimeoutException($"{shape}: producers and consumers did not finish (lost wake-up?).");
        }

        var received = consumerTasks.Select(t => t.Result).ToArray();
        var everything = received.SelectMany(r => r).Order().ToArray();
        var expected = Enumerable.Range(0, producers).SelectMany(p => Enumerable.Range(p * 1_000_000, items)).Order().ToArray();
        if (!everything.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"{shape}: items lost or duplicated.");
        }

        foreach (var list in received)
        {
            foreach (var fromOneProducer in list.GroupBy(item => item / 1_000_000))
            {
                if (!fromOneProducer.Zip(fromOneProducer.Skip(1)).All(pair => pair.First < pair.Second))
                {
                    throw new InvalidOperationException($"{shape}: producer {fromOneProducer.Key}'s items out of order: {string.Join(",", fromOneProducer)}.");
                }
            }
        }
    }

    [Property(MaxTest = 10, Arbitrary = [typeof(QueueArbitraries)])]
    public bool MovesBetweenTwoQueues_KeepTheTotalInEveryAttempt(MoveScenario scenario)
    {
        var (total, threads) = (scenario.Items, scenario.Threads);
        var left = new TQueue<int>(Enumerable.Range(0, total));
        var right = new TBoundedQueue<int>(total);
        int violations = 0;
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(w => Start(() =>
        {
            var random = new Random(w);
            start.SignalAndWait();
            for (int i = 0; i < 60; i++)
            {
                int moves = random.Next(1, 4);
                bool toRight = random.Next(2) == 0;
                Atomic.Run(() =>
                {
                    if (left.Count + right.Count != total)
                    {
#pragma warning disable STM0003 // counts what every attempt saw, aborted ones too: that count is what the test checks
                        Interlocked.Increment(ref violations);
#pragma warning restore STM0003
                    }

                    for (int m = 0; m < moves; m++)
                    {
                        if (toRight ? left.TryDequeue(out int item) : right.TryDequeue(out item))
                        {
                            if (toRight)
                            {
                                right.Enqueue(item);
                            }
                            else
                            {
                                left.Enqueue(item);
                            }
                        }
                    }

                    if (left.Count + right.Count != total)
                    {
#pragma warning disable STM0003 // counts what every attempt saw, aborted ones too: that count is what the test checks
                        Interlocked.Increment(ref violations);
#pragma warning restore STM0003
                    }
                });
                if (Atomic.Run(() => left.ToArray().Length + right.ToArray().Length) != total)
                {
                    Interlocked.Increment(ref violations);
                }
            }

            return new List<int>();
        })).ToArray();
        if (!Task.WaitAll(workers, s_timeout))
        {
            throw new TimeoutException("movers did not finish");
        }

        int[] items = [.. left.ToArray().Concat(right.ToArray()).Order()];
        return violations == 0 && items.SequenceEqual(Enumerable.Range(0, total));
    }

    private static Task<List<int>> Start(Func<List<int>> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
