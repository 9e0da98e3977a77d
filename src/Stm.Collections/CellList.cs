namespace Stm.Collections;

/// <summary>
/// The operations on the linked lists of TVar cells (<see cref="QueueLink{T}"/>) shared by
/// <see cref="TQueue{T}"/>, <see cref="TBoundedQueue{T}"/>, <see cref="TChannel{T}"/> and
/// <see cref="TChannelReader{T}"/>. Every method except the Debugger ones must be called inside a
/// transaction.
/// </summary>
internal static class CellList
{
    /// <summary>The name given to every cell TVar (it appears in conflict reports).</summary>
    public const string CellName = "Stm.Collections.Cell";

    /// <summary>Creates a new, empty list: just its hole.</summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <returns>The head and tail cursors, both at a fresh hole with index 0.</returns>
    public static (QueueCursor<T> Head, QueueCursor<T> Tail) Empty<T>()
    {
        var hole = new QueueCursor<T>(new TVar<QueueLink<T>>(default, CellName), 0);
        return (hole, hole);
    }

    /// <summary>
    /// Builds a new, unshared list that holds <paramref name="items"/>, with no transactional write
    /// (each cell is created with its final content, last cell first). Callable anywhere.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="items">The items, first to last.</param>
    /// <returns>Cursors at the first cell and at the hole after the last one.</returns>
    public static (QueueCursor<T> Head, QueueCursor<T> Tail) FromItems<T>(IEnumerable<T> items)
    {
        T[] array = [.. items];
        var hole = new TVar<QueueLink<T>>(default, CellName);
        var first = hole;
        for (int i = array.Length - 1; i >= 0; i--)
        {
            first = new TVar<QueueLink<T>>(new QueueLink<T>(array[i], first), CellName);
        }

        return (new QueueCursor<T>(first, 0), new QueueCursor<T>(hole, array.Length));
    }

    /// <summary>
    /// Writes <paramref name="item"/> into the hole <paramref name="tail"/> points to, and returns a
    /// cursor at the new hole. Writes only the old hole (inside a transaction).
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="tail">The cursor at the hole.</param>
    /// <param name="item">The item to append.</param>
    /// <returns>The cursor at the new hole.</returns>
    public static QueueCursor<T> Append<T>(QueueCursor<T> tail, T item)
    {
        // The new hole is a fresh TVar: no other transaction can see it until this one commits, so
        // creating it needs no synchronisation; if this attempt aborts it is simply garbage.
        // Created with the default value, it allocates no version of its own (see the TVar constructor).
        var hole = new TVar<QueueLink<T>>(default, CellName);
        tail.Cell.Value = new QueueLink<T>(item, hole);
        return new QueueCursor<T>(hole, tail.Index + 1);
    }

    /// <summary>
    /// Takes the item at <paramref name="cursor"/>, if it is not at the hole, and moves the cursor to
    /// the next cell (inside a transaction). Reads the cursor and its cell; writes only the cursor.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="cursor">A consumer's cursor: a queue's head, or a channel reader's position.</param>
    /// <returns>Whether there was an item, and the item.</returns>
    public static (bool Found, T Item) TryTake<T>(TVar<QueueCursor<T>> cursor)
    {
        var position = cursor.Value;
        var link = position.Cell.Value;
        if (link.Next is null)
        {
            return (false, default!);
        }

        cursor.Value = new QueueCursor<T>(link.Next, position.Index + 1);
        return (true, link.Item);
    }

    /// <summary>The item at <paramref name="cursor"/>, if it is not at the hole (inside a transaction). Writes nothing.</summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="cursor">A consumer's cursor.</param>
    /// <returns>Whether there was an item, and the item.</returns>
    public static (bool Found, T Item) TryPeek<T>(TVar<QueueCursor<T>> cursor)
    {
        var link = cursor.Value.Cell.Value;
        return link.Next is null ? (false, default!) : (true, link.Item);
    }

    /// <summary>Whether <paramref name="cursor"/> is at the hole: nothing left to take (inside a transaction).</summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="cursor">A consumer's cursor.</param>
    /// <returns><see langword="true"/> if there is no item at the cursor.</returns>
    public static bool IsEmpty<T>(TVar<QueueCursor<T>> cursor) => cursor.Value.Cell.Value.Next is null;

    /// <summary>
    /// Sets a list's completion flag (inside a transaction). Writes only on the first call, which keeps
    /// a repeated Complete read-only: it then neither conflicts with producers nor wakes waiters again.
    /// </summary>
    /// <param name="completed">The completion flag of a queue or channel.</param>
    public static void Complete(TVar<bool> completed)
    {
        if (!completed.Value)
        {
            completed.Value = true;
        }
    }

    /// <summary>
    /// For producers, inside a transaction, before they append: throws if the list's owner was
    /// completed. One read of the flag, which only Complete writes, so producers do not conflict on it.
    /// </summary>
    /// <param name="completed">The completion flag of a queue or channel.</param>
    /// <param name="owner">The owner's type as users see it (<c>TQueue&lt;T&gt;</c>), for the message.</param>
    /// <exception cref="InvalidOperationException">The owner was completed.</exception>
    public static void ThrowIfCompleted(TVar<bool> completed, string owner)
    {
        if (completed.Value)
        {
            ThrowHelper.ThrowCompleted(owner);
        }
    }

    /// <summary>
    /// Copies the <paramref name="count"/> items that follow <paramref name="head"/> (inside a
    /// transaction: a consistent snapshot).
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="head">The cursor at the first cell to copy.</param>
    /// <param name="count">How many cells hold items from there on.</param>
    /// <returns>The items, first to last.</returns>
    public static T[] ToArray<T>(QueueCursor<T> head, long count)
    {
        if (count == 0)
        {
            return [];
        }

        var items = new T[count];
        var cell = head.Cell;
        for (long i = 0; i < count; i++)
        {
            var link = cell.Value;
            items[i] = link.Item;

            // A written cell always has a successor, and count cells from head are written: the
            // cursors and the cells were read in one transaction, so this cannot be null.
            cell = link.Next!;
        }

        return items;
    }

    /// <summary>
    /// For debugger displays only: copies at most <paramref name="max"/> items from
    /// <paramref name="cell"/> on, each cell with one non-transactional read (never starts a
    /// transaction). Written cells never change, so the result is a run of items that really
    /// followed each other, though not necessarily all of one instant.
    /// </summary>
    /// <typeparam name="T">The type of the items.</typeparam>
    /// <param name="cell">The first cell.</param>
    /// <param name="max">The most items to copy.</param>
    /// <returns>The items found.</returns>
    public static T[] DebuggerItems<T>(TVar<QueueLink<T>> cell, int max)
    {
        var items = new List<T>();
        for (var current = cell; items.Count < max;)
        {
            var link = current.Value;
            if (link.Next is null)
            {
                break;
            }

            items.Add(link.Item);
            current = link.Next;
        }

        return [.. items];
    }
}
