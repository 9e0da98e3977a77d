using System.Collections.Concurrent;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks.Collections;

/// <summary>A <see cref="BlockingCollection{T}"/>: blocking <c>Add</c> and <c>Take</c>.</summary>
internal readonly struct BlockingCollectionPipe(BlockingCollection<int> collection) : IItemPipe
{
    /// <inheritdoc/>
    public void Write(int item) => collection.Add(item);

    /// <inheritdoc/>
    public int Read() => collection.Take();
}
