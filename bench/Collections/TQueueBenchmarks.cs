using System.Collections.Concurrent;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Stm.Benchmarks.Infrastructure;
using Stm.Collections;

namespace Stm.Benchmarks.Collections;

/// <summary>
/// One producer thread and one consumer thread passing items through an unbounded FIFO:
/// <see cref="TQueue{T}"/> (blocking <c>Dequeue</c>, each operation its own transaction) against an
/// unbounded <see cref="Channel{T}"/> (the baseline, used synchronously: <c>TryWrite</c>, and
/// <c>TryRead</c> waiting through <c>WaitToReadAsync</c> only when empty) and a
/// <see cref="BlockingCollection{T}"/> over a <see cref="ConcurrentQueue{T}"/>. Reported per item.
/// </summary>
/// <remarks>
/// The two threads are created once and start each round together behind a <see cref="Barrier"/>
/// (<see cref="WorkerGroup"/>); every round checks that every item arrived once, in order.
/// </remarks>
[MemoryDiagnoser]
public class TQueueBenchmarks
{
    private const int ItemsPerRound = 20_000;

    private WorkerGroup _workers = null!;
    private Channel<int> _channel = null!;
    private BlockingCollection<int> _blocking = null!;
    private TQueue<int> _queue = null!;
    private Action<int> _channelRound = null!;
    private Action<int> _blockingRound = null!;
    private Action<int> _queueRound = null!;
    private long _received;

    /// <summary>Creates the collections and the two worker threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _workers = new WorkerGroup(2);
        _channel = Channel.CreateUnbounded<int>();
        _blocking = new BlockingCollection<int>(new ConcurrentQueue<int>());
        _queue = new TQueue<int>();
        _channelRound = worker =>
        {
            if (worker == 0)
            {
                for (int i = 0; i < ItemsPerRound; i++)
                {
                    _channel.Writer.TryWrite(i);
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
        _blockingRound = worker =>
        {
            if (worker == 0)
            {
                for (int i = 0; i < ItemsPerRound; i++)
                {
                    _blocking.Add(i);
                }
            }
            else
            {
                long checksum = 0;
                for (int i = 0; i < ItemsPerRound; i++)
                {
                    checksum += _blocking.Take() == i ? 1 : 0;
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

    /// <summary>Stops the worker threads and disposes the blocking collection.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _workers.Dispose();
        _blocking.Dispose();
    }

    /// <summary>Baseline: an unbounded <see cref="Channel{T}"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ItemsPerRound)]
    public void UnboundedChannel()
    {
        _workers.Run(_channelRound);
        CheckEveryItemInOrder();
    }

    /// <summary>A <see cref="BlockingCollection{T}"/> over a <see cref="ConcurrentQueue{T}"/>.</summary>
    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public void BlockingCollection()
    {
        _workers.Run(_blockingRound);
        CheckEveryItemInOrder();
    }

    /// <summary>The transactional unbounded queue.</summary>
    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public void TQueue()
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
