using System.Collections.Concurrent;
using System.Reflection;
using System.Threading.Channels;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stm.Collections;
using Stm.Tests.Properties.Core;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// Completion: generated producers and consumers of every waiting kind (blocking, in a transaction,
/// asynchronous, enumerating) share a queue that is completed after the producers are done, often
/// while every consumer still running waits on it. Every item is delivered exactly once, and every
/// consumer ends (with <see cref="ChannelClosedException"/>, or at the end of its enumeration) within
/// <see cref="Workers.Timeout"/>: the commit of <c>Complete</c> wakes the consumers waiting on the
/// empty queue.
/// </summary>
public sealed class CompletionPropertyTests
{
    [Property(MaxTest = 20, Arbitrary = [typeof(CompletionArbitraries)])]
    public Property Complete_GeneratedProducersAndWaitingConsumers_EveryItemOnceAndEveryConsumerEnds(CompletionScenario scenario)
    {
        var queue = CompletableQueue.Create(scenario.Capacity);
        var delivered = new ConcurrentQueue<int>();
        var problems = new ConcurrentQueue<string>();
        var consumersLeft = scenario.Consumers.Count;
        var consumers = scenario.Consumers.Select((kind, index) => Start($"consumer {index} ({kind})", () =>
        {
            try
            {
                Consume(kind, queue, delivered);
            }
            catch (Exception exception)
            {
                problems.Enqueue($"consumer {index} ({kind}) threw {exception.GetType().Name}: {exception.Message}");
            }
            finally
            {
                Interlocked.Decrement(ref consumersLeft);
            }
        })).ToArray();
        var producers = scenario.ItemsPerProducer.Select((count, p) => Start($"producer {p}", () =>
        {
            for (var i = 0; i < count; i++)
            {
                queue.Enqueue((p * 1000) + i);
            }
        })).ToArray();

        var deadline = DateTime.UtcNow + Workers.Timeout;
        var producersDone = producers.All(t => t.Join(Left(deadline)));
        if (producersDone && scenario.CompleteWhenAllWait)
        {
            // Every consumer still running is parked on the empty queue when Complete commits.
            SpinWait.SpinUntil(() => queue.Waiters >= Volatile.Read(ref consumersLeft), Left(deadline));
        }

        queue.Complete();
        var ended = consumers.Count(t => t.Join(Left(deadline)));

        var expected = scenario.ItemsPerProducer.SelectMany((count, p) => Enumerable.Range(p * 1000, count)).Order().ToArray();
        var actual = delivered.Order().ToArray();
        var ok = producersDone && ended == consumers.Length && problems.IsEmpty && actual.SequenceEqual(expected);
        return ok.Label(
            $"{scenario}: producers done {producersDone}; {ended} of {consumers.Length} consumers ended within {Workers.Timeout.TotalSeconds} s "
            + $"(the others never woke after Complete); delivered {actual.Length} of {expected.Length}; {string.Join("; ", problems)}");
    }

    private static void Consume(CompletionConsumer kind, CompletableQueue queue, ConcurrentQueue<int> delivered)
    {
        switch (kind)
        {
            case CompletionConsumer.ConsumingEnumerable:
                foreach (var item in queue.GetConsumingEnumerable())
                {
                    delivered.Enqueue(item);
                }

                return;
            case CompletionConsumer.ReadAllAsync:
                ReadAll(queue, delivered).GetAwaiter().GetResult();
                return;
            default:
                try
                {
                    while (true)
                    {
                        delivered.Enqueue(kind switch
                        {
                            CompletionConsumer.DequeueInTransaction => Atomic.Run(queue.Dequeue),
                            CompletionConsumer.DequeueAsync => queue.DequeueAsync().AsTask().GetAwaiter().GetResult(),
                            _ => queue.Dequeue(),
                        });
                    }
                }
                catch (ChannelClosedException)
                {
                    // Completed and drained: the end.
                }

                return;
        }
    }

    private static async Task ReadAll(CompletableQueue queue, ConcurrentQueue<int> delivered)
    {
        await foreach (var item in queue.ReadAllAsync().ConfigureAwait(false))
        {
            delivered.Enqueue(item);
        }
    }

    private static Thread Start(string name, Action work)
    {
        var thread = new Thread(() => work()) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    private static TimeSpan Left(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>A TQueue or a TBoundedQueue of ints, seen through the members the property uses.</summary>
    private sealed class CompletableQueue
    {
        private readonly object _queue;
        private readonly TVar<QueueCursor<int>> _head;

        private CompletableQueue(object queue)
        {
            _queue = queue;
            var cells = (CellQueue<int>)queue.GetType().GetField("_cells", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(queue)!;
            _head = cells.Head;
        }

        /// <summary>Transactions parked on the queue's head: consumers waiting on the empty queue.</summary>
        public int Waiters => _head.WaitList?.Count ?? 0;

        public static CompletableQueue Create(int capacity) =>
            capacity == 0 ? new CompletableQueue(new TQueue<int>()) : new CompletableQueue(new TBoundedQueue<int>(capacity));

        public void Enqueue(int item)
        {
            if (_queue is TQueue<int> queue)
            {
                queue.Enqueue(item);
            }
            else
            {
                ((TBoundedQueue<int>)_queue).Enqueue(item);
            }
        }

        public int Dequeue() => _queue is TQueue<int> queue ? queue.Dequeue() : ((TBoundedQueue<int>)_queue).Dequeue();

        public ValueTask<int> DequeueAsync() => _queue is TQueue<int> queue ? queue.DequeueAsync() : ((TBoundedQueue<int>)_queue).DequeueAsync();

        public IEnumerable<int> GetConsumingEnumerable() =>
            _queue is TQueue<int> queue ? queue.GetConsumingEnumerable() : ((TBoundedQueue<int>)_queue).GetConsumingEnumerable();

        public IAsyncEnumerable<int> ReadAllAsync() =>
            _queue is TQueue<int> queue ? queue.ReadAllAsync() : ((TBoundedQueue<int>)_queue).ReadAllAsync();

        public void Complete()
        {
            if (_queue is TQueue<int> queue)
            {
                queue.Complete();
            }
            else
            {
                ((TBoundedQueue<int>)_queue).Complete();
            }
        }
    }
}
