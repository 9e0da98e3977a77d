using System.Diagnostics;

namespace Stm.Collections;

/// <summary>
/// The debugger's view of the transactional queues, channel readers and arrays: their items, read
/// with single non-transactional reads. It never starts a transaction (a debugger evaluation must not
/// block on, or join, the program's transactions), so the items shown are not necessarily one
/// consistent snapshot; inside a transaction it shows nothing.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
internal sealed class CollectionDebugView<T>
{
    /// <summary>The most items the view shows.</summary>
    internal const int MaxItems = 1000;

    /// <summary>Reads the items when the debugger expands the view.</summary>
    private readonly Func<T[]> _items;

    /// <summary>Creates the view of a queue.</summary>
    /// <param name="queue">The queue.</param>
    public CollectionDebugView(TQueue<T> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        _items = queue.DebuggerItems;
    }

    /// <summary>Creates the view of a bounded queue.</summary>
    /// <param name="queue">The queue.</param>
    public CollectionDebugView(TBoundedQueue<T> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        _items = queue.DebuggerItems;
    }

    /// <summary>Creates the view of a channel reader: the items it has not read yet.</summary>
    /// <param name="reader">The reader.</param>
    public CollectionDebugView(TChannelReader<T> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _items = reader.DebuggerItems;
    }

    /// <summary>Creates the view of an array.</summary>
    /// <param name="array">The array.</param>
    public CollectionDebugView(TArray<T> array)
    {
        ArgumentNullException.ThrowIfNull(array);
        _items = array.DebuggerItems;
    }

    /// <summary>Gets the items, front first; none inside a transaction.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.RootHidden)]
    public T[] Items => DebuggerRead.Items(_items, static items => items());
}
