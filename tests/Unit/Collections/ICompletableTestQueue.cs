namespace Stm.Tests.Unit.Collections;

/// <summary>The completion and waiting members shared by TQueue and TBoundedQueue, so that one suite tests both.</summary>
public interface ICompletableTestQueue
{
    /// <summary>The queue itself, for <see cref="Waiters.Count(object)"/>.</summary>
    object Queue { get; }

    int Count { get; }

    bool IsCompleted { get; }

    void Enqueue(int item);

    int Dequeue();

    int Dequeue(CancellationToken cancellationToken);

    bool TryDequeue(out int item);

    bool TryDequeue(TimeSpan timeout, out int item);

    int Peek();

    ValueTask<int> DequeueAsync(CancellationToken cancellationToken = default);

    void Complete();

    int[] ToArray();

    IEnumerable<int> GetConsumingEnumerable(CancellationToken cancellationToken = default);

    IAsyncEnumerable<int> ReadAllAsync(CancellationToken cancellationToken = default);
}
