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
/// (<see cref="ProducerConsumerRounds"/>); every round checks that every item arrived once, in order.
/// </remarks>
[MemoryDiagnoser]
public class TBoundedQueueBenchmarks
{
    private const int Capacity = 1024;
    private const int ItemsPerRound = 20_000;

    private ProducerConsumerRounds _rounds = null!;
    private Action<int> _channelRound = null!;
    private Action<int> _queueRound = null!;

    /// <summary>The version clock's time base setting for this case (see docs/architecture.md, "The hardware time base").</summary>
    [ParamsSource(nameof(TimeBases))]
    public string TimeBase { get; set; } = "Adaptive";

    public static IEnumerable<string> TimeBases => TimeBaseSetting.All;

    /// <summary>Applies the time base; creates the channel, the queue and the two worker threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TimeBaseSetting.Apply(TimeBase);
        _rounds = new ProducerConsumerRounds(ItemsPerRound);
        _channelRound = _rounds.CreateRound(new ChannelPipe(
            Channel.CreateBounded<int>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait })));
        _queueRound = _rounds.CreateRound(new TBoundedQueuePipe(new TBoundedQueue<int>(Capacity)));
    }

    /// <summary>Stops the worker threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => _rounds.Dispose();

    /// <summary>Baseline: a bounded <see cref="Channel{T}"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ItemsPerRound)]
    public void BoundedChannel() => _rounds.Run(_channelRound);

    /// <summary>The transactional bounded queue.</summary>
    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public void TBoundedQueue() => _rounds.Run(_queueRound);
}
