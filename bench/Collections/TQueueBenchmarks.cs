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
/// (<see cref="ProducerConsumerRounds"/>); every round checks that every item arrived once, in order.
/// </remarks>
[MemoryDiagnoser]
public class TQueueBenchmarks
{
    private const int ItemsPerRound = 20_000;

    private ProducerConsumerRounds _rounds = null!;
    private BlockingCollection<int> _blocking = null!;
    private Action<int> _channelRound = null!;
    private Action<int> _blockingRound = null!;
    private Action<int> _queueRound = null!;

    /// <summary>Creates the collections and the two worker threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _rounds = new ProducerConsumerRounds(ItemsPerRound);
        _blocking = new BlockingCollection<int>(new ConcurrentQueue<int>());
        _channelRound = _rounds.CreateRound(new ChannelPipe(Channel.CreateUnbounded<int>()));
        _blockingRound = _rounds.CreateRound(new BlockingCollectionPipe(_blocking));
        _queueRound = _rounds.CreateRound(new TQueuePipe(new TQueue<int>()));
    }

    /// <summary>Stops the worker threads and disposes the blocking collection.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _rounds.Dispose();
        _blocking.Dispose();
    }

    /// <summary>Baseline: an unbounded <see cref="Channel{T}"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ItemsPerRound)]
    public void UnboundedChannel() => _rounds.Run(_channelRound);

    /// <summary>A <see cref="BlockingCollection{T}"/> over a <see cref="ConcurrentQueue{T}"/>.</summary>
    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public void BlockingCollection() => _rounds.Run(_blockingRound);

    /// <summary>The transactional unbounded queue.</summary>
    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public void TQueue() => _rounds.Run(_queueRound);
}
