using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Stm.Benchmarks.Collections;
using Stm.Benchmarks.Infrastructure;
using Stm.Collections;

namespace Stm.Benchmarks.Machine;

/// <summary>
/// The floor under the one-producer, one-consumer bounded queue target (<see cref="TBoundedQueueBenchmarks"/>):
/// what passing each item in a freshly allocated cell from one core to the other costs with no
/// transaction at all (<see cref="LinkedCellFifo"/>), and with one shared word incremented per write
/// and per read, as the counter time base's commits do. The bounded <see cref="Channel"/> is the
/// baseline, as in the queue's own benchmark, and the queue runs in the same class; all bounded at
/// 1024, reported per item.
/// </summary>
[MemoryDiagnoser]
public class FifoFloorBenchmarks
{
    private const int Capacity = 1024;
    private const int ItemsPerRound = 20_000;

    private ProducerConsumerRounds _rounds = null!;
    private Action<int> _channelRound = null!;
    private Action<int> _cellsRound = null!;
    private Action<int> _cellsWithSharedWordRound = null!;
    private Action<int> _queueRound = null!;

    /// <summary>Creates the FIFOs and the two worker threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _rounds = new ProducerConsumerRounds(ItemsPerRound);
        _channelRound = _rounds.CreateRound(new ChannelPipe(
            Channel.CreateBounded<int>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait })));
        _cellsRound = _rounds.CreateRound(new LinkedCellPipe(new LinkedCellFifo(Capacity, sharedCounter: false)));
        _cellsWithSharedWordRound = _rounds.CreateRound(new LinkedCellPipe(new LinkedCellFifo(Capacity, sharedCounter: true)));
        _queueRound = _rounds.CreateRound(new TBoundedQueuePipe(new TBoundedQueue<int>(Capacity)));
    }

    /// <summary>Stops the worker threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => _rounds.Dispose();

    /// <summary>Baseline: a bounded <see cref="Channel{T}"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ItemsPerRound)]
    public void BoundedChannel() => _rounds.Run(_channelRound);

    /// <summary>A fresh cell per item, linked and followed with plain release and acquire accesses.</summary>
    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public void LinkedCells() => _rounds.Run(_cellsRound);

    /// <summary>The same, plus one shared word incremented per write and per read (the counter time base's clock).</summary>
    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public void LinkedCellsAndASharedWord() => _rounds.Run(_cellsWithSharedWordRound);

    /// <summary>The transactional bounded queue: an <c>Enqueue</c> and a <c>Dequeue</c> transaction per item.</summary>
    [Benchmark(OperationsPerInvoke = ItemsPerRound)]
    public void TBoundedQueue() => _rounds.Run(_queueRound);
}
