using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Stm.Collections;

/// <summary>
/// An unbounded first-in first-out queue whose operations are transactional: each works inside a
/// transaction, where it composes with everything else the transaction does, and outside one, where
/// it is its own atomic transaction.
/// </summary>
/// <typeparam name="T">The type of the items. Items should be immutable: the queue copies references.</typeparam>
/// <remarks>
/// <para>
/// The queue is a linked list of TVar cells with separate head and tail TVars (GHC's <c>TChan</c>
/// layout). Producers touch only the tail and the empty cell at the end; consumers touch only the
/// head and the first cell. While the queue is not empty these are different TVars, so producers and
/// consumers do not conflict with each other. Every operation touches a constant number of TVars:
/// there is no amortised list reversal that would turn one dequeue into a large transaction.
/// </para>
/// <para>
/// <see cref="Dequeue"/> and <see cref="Peek"/> wait for an item by calling <see cref="Atomic.Retry"/>,
/// so they compose with <see cref="Atomic.OrElse(Action, Action)"/> (take from whichever queue has an
/// item) and honour the cancellation token of <see cref="Atomic.Run(Action, CancellationToken)"/> and
/// the timeout of <see cref="Atomic.TryRun(Action, TimeSpan)"/>. The <c>Try</c> members never retry.
/// </para>
/// </remarks>
[DebuggerDisplay("Count = {DebuggerCount,nq}")]
[DebuggerTypeProxy(typeof(CollectionDebugView<>))]
public sealed class TQueue<T> : IReadOnlyCollection<T>
{
    // Representation: the linked list of TVar cells in _cells (its invariant is written beside the
    // fields of CellQueue). Enqueue writes the hole and the tail; the consumer side, the count and the
    // snapshot are CellQueue's, shared with TBoundedQueue.

    /// <summary>The list, its head and tail cursors, and the operations shared with <see cref="TBoundedQueue{T}"/>.</summary>
    private readonly CellQueue<T> _cells;

    /// <summary>Creates an empty queue. Callable inside or outside a transaction.</summary>
    public TQueue()
        : this(CellList.Empty<T>())
    {
    }

    /// <summary>
    /// Creates a queue that holds <paramref name="collection"/>'s items in enumeration order.
    /// Callable inside or outside a transaction.
    /// </summary>
    /// <param name="collection">The items to enqueue.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    public TQueue(IEnumerable<T> collection)
        : this(CellList.FromItems(collection ?? throw new ArgumentNullException(nameof(collection))))
    {
    }

    private TQueue((QueueCursor<T> Head, QueueCursor<T> Tail) list)
    {
        _cells = new CellQueue<T>(list, "TQueue.Head", "TQueue.Tail");
    }

    /// <summary>
    /// Gets the number of items in the queue: exact inside a transaction (it reads both ends, so it
    /// conflicts with concurrent producers and consumers); outside one, a committed snapshot. Never blocks.
    /// </summary>
    public int Count => checked((int)_cells.Count());

    /// <summary>
    /// Gets whether the queue is empty. Callable inside or outside a transaction; never blocks. Reads
    /// only the consumer end, so inside a transaction it conflicts only with consumers and with the
    /// producer that fills an empty queue.
    /// </summary>
    public bool IsEmpty => _cells.IsEmpty();

    /// <summary>Shows the count in the debugger without starting a transaction.</summary>
    private string DebuggerCount => _cells.DebuggerCount();

    /// <summary>
    /// Adds <paramref name="item"/> at the end of the queue. Callable inside or outside a transaction;
    /// never blocks.
    /// </summary>
    /// <param name="item">The item to add.</param>
    public void Enqueue(T item)
    {
        if (Atomic.InTransaction)
        {
            EnqueueCore(item);
        }
        else
        {
            Atomic.Run((Queue: this, Item: item), static args => args.Queue.EnqueueCore(args.Item));
        }
    }

    /// <summary>
    /// Removes and returns the item at the front of the queue. Callable inside or outside a
    /// transaction. Blocks while the queue is empty: inside a transaction it calls
    /// <see cref="Atomic.Retry"/> (so it composes with <see cref="Atomic.OrElse{T}(Func{T}, Func{T})"/>
    /// and honours the transaction's cancellation and timeout); outside one it blocks the calling
    /// thread until an item arrives.
    /// </summary>
    /// <returns>The item that was at the front.</returns>
    /// <remarks>
    /// Outside a transaction it first makes a few non-blocking attempts with a short spin in between,
    /// and only then waits in <see cref="Atomic.Retry"/>: with an active producer the item usually
    /// arrives within the spin, and parking and waking a thread costs far more (the strategy of
    /// <see cref="SemaphoreSlim"/> and <see cref="System.Collections.Concurrent.BlockingCollection{T}"/>).
    /// </remarks>
    public T Dequeue() => _cells.Dequeue();

    /// <summary>
    /// Removes the item at the front of the queue if there is one. Callable inside or outside a
    /// transaction; never blocks (never retries).
    /// </summary>
    /// <param name="item">The item that was at the front, or <c>default</c> when the queue was empty.</param>
    /// <returns><see langword="true"/> if an item was removed.</returns>
    public bool TryDequeue([MaybeNullWhen(false)] out T item) => _cells.TryDequeue(out item);

    /// <summary>
    /// Returns the item at the front of the queue without removing it. Callable inside or outside a
    /// transaction. Blocks while the queue is empty (<see cref="Atomic.Retry"/> inside a transaction,
    /// the calling thread outside one), like <see cref="Dequeue"/>.
    /// </summary>
    /// <returns>The item at the front.</returns>
    public T Peek() => _cells.Peek();

    /// <summary>
    /// Returns the item at the front of the queue without removing it, if there is one. Callable
    /// inside or outside a transaction; never blocks.
    /// </summary>
    /// <param name="item">The item at the front, or <c>default</c> when the queue is empty.</param>
    /// <returns><see langword="true"/> if the queue had an item.</returns>
    public bool TryPeek([MaybeNullWhen(false)] out T item) => _cells.TryPeek(out item);

    /// <summary>
    /// Removes every item. Callable inside or outside a transaction; never blocks. Touches a constant
    /// number of TVars whatever the count (the removed cells become garbage).
    /// </summary>
    public void Clear() => _cells.Clear();

    /// <summary>
    /// Copies the items, front first, into a new array: a consistent snapshot (inside a transaction,
    /// of the transaction's view; outside one, of one committed state, even while writers run).
    /// Callable inside or outside a transaction; never blocks.
    /// </summary>
    /// <returns>The items, front first.</returns>
    public T[] ToArray() => _cells.ToArray();

    /// <summary>
    /// Returns an enumerator over a consistent snapshot of the items, front first (see
    /// <see cref="ToArray"/>): later changes to the queue do not affect it. Callable inside or outside
    /// a transaction; never blocks.
    /// </summary>
    /// <returns>An enumerator over the snapshot.</returns>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)ToArray()).GetEnumerator();

    /// <inheritdoc cref="GetEnumerator"/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Removes and returns the item at the front of the queue, waiting without blocking a thread while
    /// the queue is empty (<see cref="Atomic.RunAsync{T}(Func{T}, CancellationToken)"/>). Call it
    /// outside a transaction only; inside one, call <see cref="Dequeue"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is removed then.</param>
    /// <returns>The item that was at the front.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before an item was removed.</exception>
    public ValueTask<T> DequeueAsync(CancellationToken cancellationToken = default)
    {
        if (Atomic.InTransaction)
        {
            ThrowHelper.ThrowAsyncInsideTransaction("TQueue<T>.DequeueAsync", "TQueue<T>.Dequeue");
        }

        return _cells.DequeueAsync(cancellationToken);
    }

    /// <summary>For the debugger: the items, read without starting a transaction.</summary>
    /// <returns>At most a thousand items from the front.</returns>
    internal T[] DebuggerItems() => _cells.DebuggerItems();

    private void EnqueueCore(T item) => _cells.Tail.Value = CellList.Append(_cells.Tail.Value, item);
}
