using System.Collections.Concurrent;
using System.Collections.Immutable;
using Stm.Testing.History;
using Xunit;

namespace Stm.Tests.Unit.History;

public sealed class LinearizabilityCheckerTests
{
    private static SequenceEqualityComparer<ImmutableQueue<int>, int> QueueComparer { get; } = new();

    private static TimedOperation<QueueOperation, int?> Enqueue(int process, int item, long invoked, long returned) =>
        new(process, QueueOperation.Enqueue(item), null, invoked, returned);

    private static TimedOperation<QueueOperation, int?> Dequeue(int process, int? result, long invoked, long returned) =>
        new(process, QueueOperation.Dequeue, result, invoked, returned);

    private static LinearizabilityResult CheckQueue(IReadOnlyList<TimedOperation<QueueOperation, int?>> history) =>
        LinearizabilityChecker.Check(ImmutableQueue<int>.Empty, history, QueueOperation.Apply, QueueComparer);

    /// <summary>Replays the linearization on the model: every result must match and real-time order must hold.</summary>
    private static void AssertValidLinearization(IReadOnlyList<TimedOperation<QueueOperation, int?>> history, IReadOnlyList<int> order)
    {
        Assert.Equal(Enumerable.Range(0, history.Count), order.Order());
        var state = ImmutableQueue<int>.Empty;
        for (var i = 0; i < order.Count; i++)
        {
            var operation = history[order[i]];
            (state, var result) = QueueOperation.Apply(state, operation.Input);
            Assert.Equal(operation.Output, result);
            for (var j = i + 1; j < order.Count; j++)
            {
                Assert.False(history[order[j]].Returned < operation.Invoked, $"#{order[j]} returned before #{order[i]} was invoked but is ordered after it");
            }
        }
    }

    [Fact]
    public void Check_EmptyHistory_IsLinearizable()
    {
        var result = CheckQueue([]);

        Assert.True(result.IsLinearizable, result.Explanation);
        Assert.Empty(result.Linearization);
    }

    [Fact]
    public void Check_OverlappingQueueOperations_IsLinearizable()
    {
        // enqueue(2) takes effect before enqueue(1): only then can the first dequeue return 2.
        TimedOperation<QueueOperation, int?>[] history =
        [
            Enqueue(0, 1, 1, 4),
            Enqueue(1, 2, 2, 5),
            Dequeue(2, 2, 3, 6),
            Dequeue(3, 1, 7, 8),
            Dequeue(3, null, 9, 10),
        ];

        var result = CheckQueue(history);

        Assert.True(result.IsLinearizable, result.Explanation);
        AssertValidLinearization(history, result.Linearization);
    }

    [Fact]
    public void Check_DequeueOfItemEnqueuedAfterItReturned_IsNotLinearizableWithCounterexample()
    {
        TimedOperation<QueueOperation, int?>[] history =
        [
            Dequeue(0, 1, 1, 2),
            Enqueue(1, 1, 3, 4),
        ];

        var result = CheckQueue(history);

        Assert.False(result.IsLinearizable);
        Assert.Empty(result.Linearization);
        Assert.Contains("NOT linearizable", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("Operation #0 P0 dequeue() -> 1 [invoked 1, returned 2] must take effect before it returns", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("the model answers null, not 1", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FifoViolation_IsNotLinearizableAndShowsLongestPrefix()
    {
        TimedOperation<QueueOperation, int?>[] history =
        [
            Enqueue(0, 1, 1, 2),
            Enqueue(0, 2, 3, 4),
            Dequeue(1, 2, 5, 6),
            Dequeue(1, 1, 7, 8),
        ];

        var result = CheckQueue(history);

        Assert.False(result.IsLinearizable);
        Assert.Equal([0, 1], result.Linearization);
        Assert.Contains("model state after it: [1, 2]", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("#2 P1 dequeue() -> 2 [invoked 5, returned 6]: the model answers 1, not 2", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PendingOperation_MayOrMayNotTakeEffect()
    {
        TimedOperation<QueueOperation, int?>[] tookEffect =
        [
            TimedOperation<QueueOperation, int?>.Pending(0, QueueOperation.Enqueue(5), 1),
            Dequeue(1, 5, 2, 3),
        ];
        TimedOperation<QueueOperation, int?>[] didNot =
        [
            TimedOperation<QueueOperation, int?>.Pending(0, QueueOperation.Enqueue(5), 1),
            Dequeue(1, null, 2, 3),
        ];
        TimedOperation<QueueOperation, int?>[] impossible =
        [
            TimedOperation<QueueOperation, int?>.Pending(0, QueueOperation.Enqueue(5), 1),
            Dequeue(1, 6, 2, 3),
        ];

        Assert.True(CheckQueue(tookEffect).IsLinearizable);
        Assert.True(CheckQueue(didNot).IsLinearizable);
        Assert.False(CheckQueue(impossible).IsLinearizable);
    }

    [Fact]
    public void Check_RecordedConcurrentQueue_IsLinearizable()
    {
        // ConcurrentQueue is linearizable: a history recorded from 4 threads must pass.
        const int Threads = 4;
        const int PerThread = 12;
        var queue = new ConcurrentQueue<int>();
        var recorder = new OperationRecorder<QueueOperation, int?>();
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(process => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                var invoked = recorder.Invoke();
                if ((i + process) % 2 == 0)
                {
                    var item = (process * 100) + i;
                    queue.Enqueue(item);
                    recorder.Complete(process, QueueOperation.Enqueue(item), null, invoked);
                }
                else
                {
                    int? item = queue.TryDequeue(out var value) ? value : null;
                    recorder.Complete(process, QueueOperation.Dequeue, item, invoked);
                }
            }
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "a queue thread hung");
        }

        var history = recorder.Snapshot();
        var result = CheckQueue(history);

        Assert.Equal(Threads * PerThread, history.Count);
        Assert.True(result.IsLinearizable, result.Explanation);
        AssertValidLinearization(history, result.Linearization);
    }

    [Fact]
    public void Check_NullArguments_ThrowArgumentNullException()
    {
        Assert.Equal("history", Assert.Throws<ArgumentNullException>(() => LinearizabilityChecker.Check<ImmutableQueue<int>, QueueOperation, int?>(ImmutableQueue<int>.Empty, null!, QueueOperation.Apply)).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => LinearizabilityChecker.Check<ImmutableQueue<int>, QueueOperation, int?>(ImmutableQueue<int>.Empty, [], null!)).ParamName);
    }

    [Fact]
    public void TimedOperation_ReturnBeforeInvoke_ThrowsArgumentOutOfRangeException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Enqueue(0, 1, 5, 4));
    }
}
