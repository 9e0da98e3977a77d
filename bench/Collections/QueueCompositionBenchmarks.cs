using BenchmarkDotNet.Attributes;
using Stm.Collections;

namespace Stm.Benchmarks.Collections;

/// <summary>
/// Queues composed inside one transaction, as users write it: moving an item from one queue to
/// another in a single <c>Atomic.Run</c> with a lambda that captures both queues, against the same
/// move between two <see cref="Queue{T}"/>s under one <c>lock</c>. Each operation moves one item;
/// the two queues swap roles after each, so both keep 64 items or so. One thread.
/// </summary>
[MemoryDiagnoser]
public class QueueCompositionBenchmarks
{
    private const int Items = 64;

    private readonly Lock _gate = new();
    private Queue<int> _lockedFrom = new();
    private Queue<int> _lockedTo = new();
    private TQueue<int> _from = new();
    private TQueue<int> _to = new();
    private TBoundedQueue<int> _boundedFrom = new(1024);
    private TBoundedQueue<int> _boundedTo = new(1024);

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Items; i++)
        {
            _lockedFrom.Enqueue(i);
            _lockedTo.Enqueue(i);
            _from.Enqueue(i);
            _to.Enqueue(i);
            _boundedFrom.Enqueue(i);
            _boundedTo.Enqueue(i);
        }
    }

    [Benchmark(Baseline = true, Description = "lock, Queue<T>.TryDequeue then Enqueue")]
    public void MoveUnderLock()
    {
        lock (_gate)
        {
            if (_lockedFrom.TryDequeue(out int item))
            {
                _lockedTo.Enqueue(item);
            }

            (_lockedFrom, _lockedTo) = (_lockedTo, _lockedFrom);
        }
    }

    [Benchmark(Description = "Atomic.Run, TQueue.TryDequeue then Enqueue, capturing lambda")]
    public void MoveBetweenTQueues()
    {
        TQueue<int> from = _from;
        TQueue<int> to = _to;
        Atomic.Run(() =>
        {
            if (from.TryDequeue(out int item))
            {
                to.Enqueue(item);
            }
        });
        (_from, _to) = (to, from);
    }

    [Benchmark(Description = "Atomic.Run, TBoundedQueue.TryDequeue then TryEnqueue, capturing lambda")]
    public void MoveBetweenTBoundedQueues()
    {
        TBoundedQueue<int> from = _boundedFrom;
        TBoundedQueue<int> to = _boundedTo;
        Atomic.Run(() =>
        {
            if (from.TryDequeue(out int item) && !to.TryEnqueue(item))
            {
                throw new InvalidOperationException("The target queue is full: it never holds more than 128 items.");
            }
        });
        (_boundedFrom, _boundedTo) = (to, from);
    }
}
