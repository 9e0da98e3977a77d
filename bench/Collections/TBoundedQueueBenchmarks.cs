using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Stm.Benchmarks.Infrastructure;
using Stm.Collections;

namespace Stm.Benchmarks.Collections;

/// <summary>
/// One producer thread and one consumer thread passing items through a bounded FIFO of capacity
/// 1024: <see cref="TBoundedQueue{T}"/> (blocking <c>Enqueue</c>/<c>Dequeue</c>, each its own
/// transaction) against <see cref="Channel.CreateBounded{T}(BoundedChannelOptions)"/> (the baseline,
/// multi-reader/multi-writer like the queue, used synchronously: <c>TryWrite</c>/<c>TryRead</c>, and
/// waiting through <c>WaitToWriteAsync</c>/<c>WaitToReadAsync</c> only when full or empty). Reported
/// per item. Target: at most 2x the baseline.
/// </summary>
/// <remarks>
/// The two threads are created once and start each round together behind a <see cref="Barrier"/>
/// (<see cref="WorkerGroup"/>); every round checks that every item arrived once, in order.
/// </remarks>
[MemoryDiagnoser]
public class TBoundedQueueBenchmarks
{
    private const int Capacity = 1024;
    private const int ItemsPerRound = 20_000;

    private WorkerGroup _workers = null!;
    private Channel<int> _channel = null!;
    private TBoundedQueue<int> _queue = null!;
    private Action<int> _channelRound = null!;
    private Action<int> _queueRound = null!;
    private long _received;

    /// <summary>Creates the channel, the queue and the two worker threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _workers = new WorkerGroup(2);
        _channel = Channel.CreateBounded<int>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });
        _queue = new TBoundedQueue<int>(Capacity);
        _channelRound = worker =>
        {
            if (worker == 0)
            {
                var writer = _channel.Writer;
                for (int i = 0; i < ItemsPerRound; i++)
                {
                    while (!writer.TryWrite(i))
                    {
                        writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
                    }
                }
            }
            else
            {
                var reader = _channel.Reader;
                long checksum = 0;
                for (int i = 0; i < ItemsPerRound; i++)
                {
                    int item;
                    while (!reader.TryRead(out item))
                    {
                        reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
                    }

                    checksum += item == i ? 1 : 0;
                }

                _received = checksum;
            }
        };
        _queueRound = worker =>
        {
            if (worker == 0)
            {
                for (int i = 0; i < ItemsPerRound; i++)
                {
                    _queue.Enqueue(i);
                }
            }
            else
            {
                long checksum = 0;
                for (int i = 0; i < ItemsPerRound; i++)
                {
                    checksum += _queue.Dequeue() == i ? 1 : 0;
                }

                _received = checksum;
            }
        };
    }

    /// <summary>Stops the worker threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => _workers.Dispose();

    /// <summary>Baseline: a bounded <see cref="Channel{T}"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ItemsPerRound)]
    public void BoundedChannel()
    {
        _workers.Run(_channelRound);
        CheckEveryItemInOrder();
    }

    /// <summary>The transactional bounded queue.</summary>
    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public void TBoundedQueue()
    {
        _workers.Run(_queueRound);
        CheckEveryItemInOrder();
    }

    private void CheckEveryItemInOrder()
    {
        if (_received != ItemsPerRound)
        {
            throw new InvalidOperationException($"Only {_received} of {ItemsPerRound} items arrived in order.");
        }
    }
}
