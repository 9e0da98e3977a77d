using System.Threading.Channels;
using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// Completion racing producers, consumers and cancellation, with more threads than cores: every item
/// accepted before the completion is delivered exactly once, nothing refused is delivered, every
/// consumer ends, and no wait registration is left behind.
/// </summary>
[Trait("Category", "Stress")]
public sealed class CompletionStressTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OneProducerTenConsumers_EveryItemIsDeliveredExactlyOnce(bool bounded)
    {
        const int Items = 20_000;
        const int Consumers = 10;
        var queue = new Queue(bounded ? 64 : 0);
        var taken = new List<int>[Consumers];
        using var start = new Barrier(Consumers + 1);

        var consumers = Enumerable.Range(0, Consumers).Select(c => TestThread.Start(
            () =>
            {
                Assert.True(start.SignalAndWait(Bounded.Limit), "the threads did not all start");
                taken[c] = Consume(queue, kind: c % 4);
            },
            $"consumer {c}")).ToArray();
        var producer = TestThread.Start(
            () =>
            {
                Assert.True(start.SignalAndWait(Bounded.Limit), "the threads did not all start");
                for (int i = 0; i < Items; i++)
                {
                    queue.Enqueue(i);
                }

                queue.Complete();
            },
            "producer");

        producer.Join();
        foreach (var consumer in consumers)
        {
            consumer.Join();
        }

        var all = taken.SelectMany(list => list).ToList();
        Assert.Equal(Items, all.Count);
        Assert.Equal(Enumerable.Range(0, Items), all.Order());

        // One producer and a FIFO queue: each consumer sees its items in the order they were enqueued.
        Assert.All(taken, list => Assert.Equal(list.Order(), list));
        Assert.Equal(0, Waiters.Count(queue.Target));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Complete_RacingProducers_DeliversExactlyTheAcceptedItems(bool bounded)
    {
        const int Producers = 4;
        const int Consumers = 3;
        const int Stride = 1_000_000;
        var queue = new Queue(bounded ? 16 : 0);
        var accepted = new int[Producers];
        int acceptedTotal = 0;
        var taken = new List<int>[Consumers];
        using var start = new Barrier(Producers + Consumers + 1);

        var producers = Enumerable.Range(0, Producers).Select(p => TestThread.Start(
            () =>
            {
                Assert.True(start.SignalAndWait(Bounded.Limit), "the threads did not all start");
                try
                {
                    for (int i = 0; i < Stride; i++)
                    {
                        queue.Enqueue((p * Stride) + i);
                        accepted[p]++;
                        Interlocked.Increment(ref acceptedTotal);
                    }
                }
                catch (InvalidOperationException)
                {
                    // Completed: this item and every later one are refused.
                }
            },
            $"producer {p}")).ToArray();
        var consumers = Enumerable.Range(0, Consumers).Select(c => TestThread.Start(
            () =>
            {
                Assert.True(start.SignalAndWait(Bounded.Limit), "the threads did not all start");
                taken[c] = [.. queue.GetConsumingEnumerable()];
            },
            $"consumer {c}")).ToArray();

        Assert.True(start.SignalAndWait(Bounded.Limit), "the threads did not all start");
        Bounded.Until(() => Volatile.Read(ref acceptedTotal) >= 2_000, "the producers to enqueue 2000 items");
        queue.Complete();

        foreach (var thread in producers.Concat(consumers))
        {
            thread.Join();
        }

        var expected = Enumerable.Range(0, Producers).SelectMany(p => Enumerable.Range(p * Stride, accepted[p]));
        Assert.Equal(expected.Order(), taken.SelectMany(list => list).Order());
        Assert.Equal(0, Waiters.Count(queue.Target));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Complete_RacingCancellationOfParkedConsumers_EachEndsOnceAndNothingIsLost(bool bounded)
    {
        const int Rounds = 40;
        const int Consumers = 4;
        for (int round = 0; round < Rounds; round++)
        {
            var queue = new Queue(bounded ? 8 : 0);
            using var cts = new CancellationTokenSource();
            var outcomes = new string[Consumers];
            var consumers = Enumerable.Range(0, Consumers).Select(c => TestThread.Start(
                () =>
                {
                    try
                    {
                        outcomes[c] = "took " + queue.Dequeue(cts.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        outcomes[c] = "cancelled";
                    }
                    catch (ChannelClosedException)
                    {
                        outcomes[c] = "closed";
                    }
                },
                $"consumer {c}")).ToArray();
            Bounded.Until(() => consumers.All(t => t.IsBlocked), "every consumer to park");

            // The last item and the completion commit together, while the token is cancelled.
            using var go = new Barrier(2);
            var canceller = TestThread.Start(() =>
            {
                Assert.True(go.SignalAndWait(Bounded.Limit), "the racers did not both start");
                cts.Cancel();
            });
            Assert.True(go.SignalAndWait(Bounded.Limit), "the racers did not both start");
            Atomic.Run(() =>
            {
                queue.Enqueue(round);
                queue.Complete();
            });
            canceller.Join();
            foreach (var consumer in consumers)
            {
                consumer.Join();
            }

            int tookIt = outcomes.Count(o => o == "took " + round);
            Assert.All(outcomes, o => Assert.Contains(o, new[] { "took " + round, "cancelled", "closed" }));
            Assert.Equal(1, tookIt + queue.Count);
            Assert.Equal(0, Waiters.Count(queue.Target));
        }
    }

    [Fact]
    public async Task TChannel_ReadersWhileTheWriterCompletes_EachReadsEveryItemOnceInOrder()
    {
        const int Items = 5_000;
        const int Readers = 6;
        var channel = new TChannel<int>();
        var readers = Enumerable.Range(0, Readers).Select(_ => channel.Subscribe()).ToArray();
        var reading = readers.Select((reader, r) => r % 2 == 0
            ? WaitHarness.StartThread(() => reader.GetConsumingEnumerable().ToList())
            : Task.Run(async () =>
            {
                var items = new List<int>();
                await foreach (int item in reader.ReadAllAsync())
                {
                    items.Add(item);
                }

                return items;
            })).ToArray();

        var writer = WaitHarness.StartThread(() =>
        {
            for (int i = 0; i < Items; i++)
            {
                channel.Write(i);
            }

            channel.Complete();
        });

        await writer.WaitAsync(Bounded.Limit);
        foreach (var list in await Task.WhenAll(reading).WaitAsync(Bounded.Limit))
        {
            Assert.Equal(Enumerable.Range(0, Items), list);
        }

        Assert.Equal(0, Waiters.Count(channel));
    }

    /// <summary>Takes items until the queue is completed and drained, with one of four kinds of consumer.</summary>
    private static List<int> Consume(Queue queue, int kind)
    {
        var items = new List<int>();
        switch (kind)
        {
            case 0:
                items.AddRange(queue.GetConsumingEnumerable());
                break;
            case 1:
                try
                {
                    while (true)
                    {
                        items.Add(queue.Dequeue(CancellationToken.None));
                    }
                }
                catch (ChannelClosedException)
                {
                }

                break;
            case 2:
                while (queue.TryDequeue(Bounded.Limit, out int item))
                {
                    items.Add(item);
                }

                Assert.True(queue.IsCompleted, "TryDequeue with a timeout gave up before the queue was completed");
                break;
            default:
                items.AddRange(queue.ReadAllAsync().ToBlockingEnumerable());
                break;
        }

        return items;
    }

    /// <summary>A TQueue or a TBoundedQueue of ints, for the tests that run on both.</summary>
    private sealed class Queue(int capacity)
    {
        private readonly TQueue<int>? _unbounded = capacity == 0 ? new TQueue<int>() : null;
        private readonly TBoundedQueue<int>? _bounded = capacity == 0 ? null : new TBoundedQueue<int>(capacity);

        public object Target => (object?)_unbounded ?? _bounded!;

        public bool IsCompleted => _unbounded?.IsCompleted ?? _bounded!.IsCompleted;

        public int Count => _unbounded?.Count ?? _bounded!.Count;

        public void Enqueue(int item)
        {
            if (_unbounded is not null)
            {
                _unbounded.Enqueue(item);
            }
            else
            {
                _bounded!.Enqueue(item);
            }
        }

        public int Dequeue(CancellationToken cancellationToken) =>
            _unbounded?.Dequeue(cancellationToken) ?? _bounded!.Dequeue(cancellationToken);

        public bool TryDequeue(TimeSpan timeout, out int item) =>
            _unbounded is not null ? _unbounded.TryDequeue(timeout, out item) : _bounded!.TryDequeue(timeout, out item);

        public void Complete()
        {
            if (_unbounded is not null)
            {
                _unbounded.Complete();
            }
            else
            {
                _bounded!.Complete();
            }
        }

        public IEnumerable<int> GetConsumingEnumerable() =>
            _unbounded?.GetConsumingEnumerable() ?? _bounded!.GetConsumingEnumerable();

        public IAsyncEnumerable<int> ReadAllAsync() =>
            _unbounded?.ReadAllAsync() ?? _bounded!.ReadAllAsync();
    }
}
