namespace Stm.Collections;

/// <summary>
/// A position in a linked list of TVar cells: the cell and its sequence number. Held in a TVar as
/// the head or tail of a queue, the write end of a channel or the position of a channel reader.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <remarks>
/// The sequence number grows by one per cell, so the number of items between two cursors of the
/// same list is the difference of their indices: <see cref="TQueue{T}.Count"/> is exact without a
/// shared counter that producers and consumers would both have to write.
/// </remarks>
internal readonly struct QueueCursor<T>
{
    /// <summary>Creates a cursor.</summary>
    /// <param name="cell">The cell the cursor points to.</param>
    /// <param name="index">The sequence number of that cell.</param>
    public QueueCursor(TVar<QueueLink<T>> cell, long index)
    {
        Cell = cell;
        Index = index;
    }

    /// <summary>The cell the cursor points to.</summary>
    public TVar<QueueLink<T>> Cell { get; }

    /// <summary>The sequence number of <see cref="Cell"/> (the number of cells before it).</summary>
    public long Index { get; }
}
