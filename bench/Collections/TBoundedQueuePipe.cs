using Stm.Benchmarks.Infrastructure;
using Stm.Collections;

namespace Stm.Benchmarks.Collections;

/// <summary>A <see cref="TBoundedQueue{T}"/>: blocking <c>Enqueue</c> and <c>Dequeue</c>, each its own transaction.</summary>
internal readonly struct TBoundedQueuePipe(TBoundedQueue<int> queue) : IItemPipe
{
    /// <inheritdoc/>
    public void Write(int item) => queue.Enqueue(item);

    /// <inheritdoc/>
    public int Read() => queue.Dequeue();
}
