using Stm.Benchmarks.Infrastructure;
using Stm.Collections;

namespace Stm.Benchmarks.Collections;

/// <summary>A <see cref="TQueue{T}"/>: <c>Enqueue</c> and blocking <c>Dequeue</c>, each its own transaction.</summary>
internal readonly struct TQueuePipe(TQueue<int> queue) : IItemPipe
{
    /// <inheritdoc/>
    public void Write(int item) => queue.Enqueue(item);

    /// <inheritdoc/>
    public int Read() => queue.Dequeue();
}
