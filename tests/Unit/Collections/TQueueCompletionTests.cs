using Stm.Collections;

namespace Stm.Tests.Unit.Collections;

public sealed class TQueueCompletionTests : QueueCompletionContractTests
{
    protected override ICompletableTestQueue CreateQueue() => new Adapter(new TQueue<int>());

    private sealed class Adapter(TQueue<int> queue) : ICompletableTestQueue
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
