namespace Stm.Tests.Unit.Collections;

/// <summary>The members shared by TQueue and TBoundedQueue, so that one contract suite tests both.</summary>
public interface ITestQueue
{
    int Count { get; }

    bool IsEmpty { get; }

    void Enqueue(int item);

    int Dequeue();

    bool TryDequeue(out int item);

    int Peek();

    bool TryPeek(out int item);

    void Clear();

    int[] ToArray();

    IEnumerable<int> Enumerate();

    ValueTask<int> DequeueAsync(CancellationToken cancellationToken = default);
}
