using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TBoundedQueueTests : QueueContractTests
{
    protected override ITestQueue CreateQueue() => new Adapter(new TBoundedQueue<int>(1000));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Constructor_CapacityBelowOne_ThrowsArgumentOutOfRange(int capacity)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TBoundedQueue<int>(capacity));
        Assert.Equal("capacity", error.ParamName);
    }

    [Fact]
    public void Constructor_HugeCapacity_AllocatesNothingPerSlot()
    {
        var queue = new TBoundedQueue<int>(int.MaxValue);
        queue.Enqueue(1);
        Assert.Equal(int.MaxValue, queue.Capacity);
        Assert.Equal(1, queue.Dequeue());
        Assert.False(queue.IsFull);
    }

    [Fact]
    public void TryEnqueue_Full_ReturnsFalseAndChangesNothing()
    {
        var queue = new TBoundedQueue<int>(2);
        Assert.True(queue.TryEnqueue(1));
        Assert.False(queue.IsFull);
        Assert.True(queue.TryEnqueue(2));
        Assert.True(queue.IsFull);
        Assert.False(queue.TryEnqueue(3));
        Assert.Equal([1, 2], queue.ToArray());
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void Enqueue_FullInsideTryRun_TimesOutAndAddsNothing()
    {
        var queue = new TBoundedQueue<int>(1);
        queue.Enqueue(1);
        var other = new TBoundedQueue<int>(5);
        Assert.False(Atomic.TryRun(
            () =>
            {
                other.Enqueue(9);
                queue.Enqueue(2);
            },
            TimeSpan.FromMilliseconds(50)));
        Assert.Equal([1], queue.ToArray());
        Assert.True(other.IsEmpty);
    }

    [Fact]
    public async Task Enqueue_ParkedOnFullQueue_IsWokenByDequeue()
    {
        var queue = new TBoundedQueue<int>(2);
        queue.Enqueue(1);
        queue.Enqueue(2);
        using var rolledBack = new ManualResetEventSlim();
        var producer = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(
            () =>
            {
                queue.Enqueue(3);
                return true;
            },
            rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the producer to retry on the full queue");
        Assert.False(producer.IsCompleted);

        Assert.Equal(1, queue.Dequeue());

        Assert.True(await producer.WaitAsync(WaitHarness.Timeout));
        Assert.Equal([2, 3], queue.ToArray());
        Assert.True(queue.IsFull);
    }

    [Fact]
    public void Enqueue_OrElseOverTwoFullnesses_PutsIntoTheOneWithRoom()
    {
        var full = new TBoundedQueue<int>(1);
        full.Enqueue(0);
        var roomy = new TBoundedQueue<int>(1);
        Atomic.Run(() => Atomic.OrElse(() => full.Enqueue(1), () => roomy.Enqueue(1)));
        Assert.Equal([0], full.ToArray());
        Assert.Equal([1], roomy.ToArray());
    }

    [Fact]
    public void Capacity_IsHonouredAcrossManyWrapArounds()
    {
        // Producers refill their write capacity from the read side only when it is used up; this
        // walks that refill through every phase and checks the bound and the order all the way.
        var queue = new TBoundedQueue<int>(3);
        var model = new Queue<int>();
        int next = 0;
        for (int round = 0; round < 50; round++)
        {
            int take = round % 4;
            for (int i = 0; i < take && model.Count > 0; i++)
            {
                Assert.Equal(model.Dequeue(), queue.Dequeue());
            }

            while (queue.TryEnqueue(next))
            {
                model.Enqueue(next++);
            }

            Assert.Equal(3, model.Count);
            Assert.True(queue.IsFull);
            Assert.Equal(model, queue.ToArray());
        }
    }

    [Fact]
    public void Clear_FreesTheWholeCapacity()
    {
        var queue = new TBoundedQueue<int>(2);
        queue.Enqueue(1);
        queue.Enqueue(2);
        queue.Clear();
        Assert.True(queue.TryEnqueue(3));
        Assert.True(queue.TryEnqueue(4));
        Assert.False(queue.TryEnqueue(5));
        Assert.Equal([3, 4], queue.ToArray());
    }

    [Fact]
    public void CountAndIsFull_InsideTransaction_SeeOwnWrites()
    {
        var queue = new TBoundedQueue<int>(2);
        var (count, full, tryAgain) = Atomic.Run(() =>
        {
            queue.Enqueue(1);
            queue.Enqueue(2);
            return (queue.Count, queue.IsFull, queue.TryEnqueue(3));
        });
        Assert.Equal(2, count);
        Assert.True(full);
        Assert.False(tryAgain);
    }

    [Fact]
    public async Task EnqueueAsync_Full_CompletesWhenAnItemIsDequeued()
    {
        var queue = new TBoundedQueue<int>(1);
        await queue.EnqueueAsync(1);
        var pending = queue.EnqueueAsync(2).AsTask();
        Assert.False(pending.IsCompleted);

        Assert.Equal(1, queue.Dequeue());

        await pending.WaitAsync(WaitHarness.Timeout);
        Assert.Equal([2], queue.ToArray());
    }

    [Fact]
    public async Task EnqueueAsync_CancelledWhileWaiting_ThrowsAndAddsNothing()
    {
        var queue = new TBoundedQueue<int>(1);
        queue.Enqueue(1);
        using var cancellation = new CancellationTokenSource();
        var pending = queue.EnqueueAsync(2, cancellation.Token).AsTask();
        Assert.False(pending.IsCompleted);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(WaitHarness.Timeout));
        Assert.Equal(1, queue.Dequeue());
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void EnqueueAsync_InsideTransaction_ThrowsInvalidOperation()
    {
        var queue = new TBoundedQueue<int>(1);
        var error = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => WaitHarness.Discard(queue.EnqueueAsync(1))));
        Assert.Contains(".Enqueue", error.Message, StringComparison.Ordinal);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void DebugView_OutsideTransaction_ShowsItems()
    {
        var queue = new TBoundedQueue<int>(4);
        queue.Enqueue(1);
        queue.Enqueue(2);
        Assert.Equal([1, 2], new Stm.Collections.CollectionDebugView<int>(queue).Items);
    }

    private sealed class Adapter(TBoundedQueue<int> queue) : ITestQueue
    {
        public int Count => queue.Count;

        public bool IsEmpty => queue.IsEmpty;

        public void Enqueue(int item) => queue.Enqueue(item);

        public int Dequeue() => queue.Dequeue();

        public bool TryDequeue(out int item) => queue.TryDequeue(out item);

        public int Peek() => queue.Peek();

        public bool TryPeek(out int item) => queue.TryPeek(out item);

        public void Clear() => queue.Clear();

        public int[] ToArray() => queue.ToArray();

        public IEnumerable<int> Enumerate() => queue;

        public ValueTask<int> DequeueAsync(CancellationToken cancellationToken = default) => queue.DequeueAsync(cancellationToken);
    }
}
