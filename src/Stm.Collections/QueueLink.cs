namespace Stm.Collections;

/// <summary>
/// The content of one cell of the linked lists behind <see cref="TQueue{T}"/>,
/// <see cref="TBoundedQueue{T}"/> and <see cref="TChannel{T}"/> (GHC's <c>TList</c>:
/// <c>TNil | TCons a (TVar (TList a))</c>).
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <remarks>
/// A cell is a <c>TVar&lt;QueueLink&lt;T&gt;&gt;</c>. It is written exactly once, when it stops being
/// the hole at the end of the list: from <c>default</c> (no item, <see cref="Next"/> is
/// <see langword="null"/>) to an item and the new hole. Because a written cell never changes again,
/// walking the list from any cursor sees a stable sequence.
/// </remarks>
internal readonly struct QueueLink<T>
{
    /// <summary>Creates the content of a written cell.</summary>
    /// <param name="item">The item the cell holds.</param>
    /// <param name="next">The cell after this one (the new hole when the cell is written).</param>
    public QueueLink(T item, TVar<QueueLink<T>> next)
    {
        Item = item;
        Next = next;
    }

    /// <summary>The item this cell holds; <c>default</c> in the hole.</summary>
    public T Item { get; }

    /// <summary>The next cell; <see langword="null"/> only in the hole at the end of the list.</summary>
    public TVar<QueueLink<T>>? Next { get; }
}
