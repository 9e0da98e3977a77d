using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// The completion contract for TBoundedQueue, plus what only a bounded queue has: producers that wait
/// for room, with or without a token or a timeout.
/// </summary>
public sealed class TBoundedQueueCompletionTests : QueueCompletionContractTests
{
    [Fact]
    public void Enqueue_ProducerParkedOnAFullQueue_IsWokenByCompleteAndThrowsInvalidOperation()
    {
        var queue = Full(2);
        var producer = TestThread.Start(() => queue.Enqueue(3));
        Bounded.Until(() => Waiters.Count(queue) > 0, "the producer to park");

        queue.Complete();

        Assert.IsType<InvalidOperationException>(producer.JoinCapturing());
        Assert.Equal(0, Waiters.Count(queue));
        Assert.Equal([1, 2], queue.GetConsumingEnumerable().ToArray());
    }

    [Fact]
    public async Task EnqueueAsync_PendingOnAFullQueue_FaultsWithInvalidOperationOnComplete()
    {
        var queue = Full(1);
        var pending = queue.EnqueueAsync(2).AsTask();
        Bounded.Until(() => Waiters.Count(queue) > 0, "the asynchronous producer to wait");

        queue.Complete();

        await Assert.ThrowsAsync<InvalidOperationException>(() => pending.WaitAsync(Bounded.Limit));
        Assert.Equal(0, Waiters.Count(queue));
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public async Task EveryEnqueueForm_AfterComplete_ThrowsInvalidOperationWhetherThereIsRoomOrNot()
    {
        foreach (var queue in new[] { new TBoundedQueue<int>(3), Full(1) })
        {
            queue.Complete();
            using var cts = new CancellationTokenSource();
            Assert.Throws<InvalidOperationException>(() => queue.Enqueue(9));
            Assert.Throws<InvalidOperationException>(() => queue.TryEnqueue(9));
            Assert.Throws<InvalidOperationException>(() => queue.Enqueue(9, cts.Token));
            Assert.Throws<InvalidOperationException>(() => queue.TryEnqueue(9, TimeSpan.Zero));
            Assert.Throws<InvalidOperationException>(() => queue.TryEnqueue(9, Bounded.Limit));
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await queue.EnqueueAsync(9));
            Assert.DoesNotContain(9, queue.ToArray());
        }
    }

    [Fact]
    public void EnqueueWithToken_RoomAvailableOrFreedWhileParked_AddsTheItem()
    {
        var queue = new TBoundedQueue<int>(1);
        using var cts = new CancellationTokenSource();
        queue.Enqueue(1, cts.Token);

        var producer = TestThread.Start(() => queue.Enqueue(2, cts.Token));
        Bounded.Until(() => Waiters.Count(queue) > 0, "the producer to park");
        Assert.Equal(1, queue.Dequeue());
        producer.Join();

        Assert.Equal([2], queue.ToArray());
        Assert.Equal(0, Waiters.Count(queue));
    }

    [Fact]
    public void EnqueueWithToken_CancelledWhileParked_ThrowsAddsNothingAndLeavesNoWaiter()
    {
        var queue = Full(2);
        using var cts = new CancellationTokenSource();
        var producer = TestThread.Start(() => queue.Enqueue(3, cts.Token));
        Bounded.Until(() => Waiters.Count(queue) > 0, "the producer to park");

        cts.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(producer.JoinCapturing());
        Assert.Equal(0, Waiters.Count(queue));
        queue.Dequeue();
        Assert.Equal([2], queue.ToArray());
    }

    [Fact]
    public void EnqueueWithToken_AlreadyCancelled_ThrowsWithoutAdding()
    {
        var queue = new TBoundedQueue<int>(2);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => queue.Enqueue(1, cts.Token));
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void TryEnqueueWithTimeout_RoomAvailableOrFreedWhileParked_ReturnsTrue()
    {
        var queue = new TBoundedQueue<int>(1);
        Assert.True(queue.TryEnqueue(1, TimeSpan.Zero));
        Assert.False(queue.TryEnqueue(2, TimeSpan.Zero));

        bool added = false;
        var producer = TestThread.Start(() => added = queue.TryEnqueue(2, Bounded.Limit));
        Bounded.Until(() => Waiters.Count(queue) > 0, "the producer to park");
        Assert.Equal(1, queue.Dequeue());
        producer.Join();

        Assert.True(added);
        Assert.Equal([2], queue.ToArray());
    }

    [Fact]
    public void TryEnqueueWithTimeout_StaysFull_ReturnsFalseAddsNothingAndLeavesNoWaiter()
    {
        var queue = Full(2);
        Assert.False(queue.TryEnqueue(3, TimeSpan.FromMilliseconds(50)));
        Assert.Equal(0, Waiters.Count(queue));
        Assert.Equal([1, 2], queue.ToArray());
    }

    [Fact]
    public void TryEnqueueWithTimeout_ParkedWhenCompleted_ThrowsInvalidOperation()
    {
        var queue = Full(1);
        var producer = TestThread.Start(() => queue.TryEnqueue(2, Timeout.InfiniteTimeSpan));
        Bounded.Until(() => Waiters.Count(queue) > 0, "the producer to park");

        queue.Complete();

        Assert.IsType<InvalidOperationException>(producer.JoinCapturing());
        Assert.Equal(0, Waiters.Count(queue));
    }

    [Fact]
    public void TryEnqueueWithTimeout_NegativeTimeout_ThrowsArgumentOutOfRange()
    {
        var queue = new TBoundedQueue<int>(2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => queue.TryEnqueue(1, TimeSpan.FromSeconds(-1)));
        Assert.Equal("timeout", error.ParamName);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void EnqueueWithTokenOrTimeout_InsideATransaction_ThrowInvalidOperation()
    {
        var queue = new TBoundedQueue<int>(2);
        var withToken = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => queue.Enqueue(1, CancellationToken.None)));
        var withTimeout = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => queue.TryEnqueue(1, TimeSpan.Zero)));

        Assert.Contains("Enqueue(T, CancellationToken)", withToken.Message, StringComparison.Ordinal);
        Assert.Contains("TryEnqueue(T, TimeSpan)", withTimeout.Message, StringComparison.Ordinal);
        Assert.Contains("Atomic.TryRun(body, timeout)", withTimeout.Message, StringComparison.Ordinal);
        Assert.True(queue.IsEmpty);
    }

    protected override ICompletableTestQueue CreateQueue() => new Adapter(new TBoundedQueue<int>(1000));

    private static TBoundedQueue<int> Full(int capacity)
    {
        var queue = new TBoundedQueue<int>(capacity);
        for (int i = 1; i <= capacity; i++)
        {
            queue.Enqueue(i);
        }

        return queue;
    }

    private sealed class Adapter(TBoundedQueue<int> queue) : ICompletableTestQueue
    {
        public object Queue => queue;

        public int Count => queue.Count;

        public bool IsCompleted => queue.IsCompleted;

        public void Enqueue(int item) => queue.Enqueue(item);

        public int Dequeue() => queue.Dequeue();

        public int Dequeue(CancellationToken cancellationToken) => queue.Dequeue(cancellationToken);

        public bool TryDequeue(out int item) => queue.TryDequeue(out item);

        public bool TryDequeue(TimeSpan timeout, out int item) => queue.TryDequeue(timeout, out item);

        public int Peek() => queue.Peek();

        public ValueTask<int> DequeueAsync(CancellationToken cancellationToken = default) => queue.DequeueAsync(cancellationToken);

        public void Complete() => queue.Complete();

        public int[] ToArray() => queue.ToArray();

        public IEnumerable<int> GetConsumingEnumerable(CancellationToken cancellationToken = default) => queue.GetConsumingEnumerable(cancellationToken);

        public IAsyncEnumerable<int> ReadAllAsync(CancellationToken cancellationToken = default) => queue.ReadAllAsync(cancellationToken);
    }
}
