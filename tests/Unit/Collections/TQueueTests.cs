using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TQueueTests : QueueContractTests
{
    protected override ITestQueue CreateQueue() => new Adapter(new TQueue<int>());

    [Fact]
    public void Constructor_FromCollection_HoldsItemsInOrder()
    {
        var queue = new TQueue<string>(["a", "b", "c"]);
        Assert.Equal(3, queue.Count);
        Assert.Equal(["a", "b", "c"], queue);
        Assert.Equal("a", queue.Dequeue());
        queue.Enqueue("d");
        Assert.Equal(["b", "c", "d"], queue.ToArray());
    }

    [Fact]
    public void Constructor_NullCollection_ThrowsArgumentNull()
    {
        var error = Assert.Throws<ArgumentNullException>(() => new TQueue<int>(null!));
        Assert.Equal("collection", error.ParamName);
    }

    [Fact]
    public void Enqueue_ManyItems_CountStaysExact()
    {
        var queue = new TQueue<int>();
        Atomic.Run(() =>
        {
            for (int i = 0; i < 5000; i++)
            {
                queue.Enqueue(i);
            }
        });
        Assert.Equal(5000, queue.Count);
        Assert.Equal(Enumerable.Range(0, 5000), queue);
    }

    [Fact]
    public void Enqueue_NullReference_IsAnItemLikeAnyOther()
    {
        var queue = new TQueue<string?>();
        queue.Enqueue(null);
        Assert.False(queue.IsEmpty);
        Assert.True(queue.TryDequeue(out string? item));
        Assert.Null(item);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void DebugView_OutsideTransaction_ShowsItems_InsideShowsNothing()
    {
        var queue = new TQueue<int>([1, 2, 3]);
        Assert.Equal([1, 2, 3], new Stm.Collections.CollectionDebugView<int>(queue).Items);
        int[] inside = Atomic.Run(() =>
        {
            queue.Enqueue(4);
            return new Stm.Collections.CollectionDebugView<int>(queue).Items;
        });
        Assert.Empty(inside);
    }

    private sealed class Adapter(TQueue<int> queue) : ITestQueue
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
