using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

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
/// <see cref="Dequeue()"/> and <see cref="Peek"/> wait for an item by calling <see cref="Atomic.Retry"/>,
/// so they compose with <see cref="Atomic.OrElse(Action, Action)"/> (take from whichever queue has an
/// item) and honour the cancellation token of <see cref="Atomic.Run(Action, CancellationToken)"/> and
/// the timeout of <see cref="Atomic.TryRun(Action, TimeSpan)"/>. The <c>Try</c> members never retry.
/// Outside a transaction, <see cref="Dequeue(CancellationToken)"/> and
/// <see cref="TryDequeue(TimeSpan, out T)"/> wait with a token or a timeout of their own.
/// </para>
/// <para>
/// <see cref="Complete"/> says that no more items will come (<see cref="System.Collections.Concurrent.BlockingCollection{T}.CompleteAdding"/>,
/// <see cref="ChannelWriter{T}.Complete(Exception)"/>): later enqueues throw, consumers still get every
/// item enqueued before it, and a consumer that finds the queue completed and empty gets
/// <see cref="ChannelClosedException"/> instead of waiting for ever (the consuming enumerations
/// <see cref="GetConsumingEnumerable"/> and <see cref="ReadAllAsync"/> simply end there). The
/// completion flag is a TVar of its own that only <see cref="Complete"/> writes: producers read it on
/// every enqueue and consumers only when the queue is empty, so it adds no conflict between them.
/// </para>
/// </remarks>
[DebuggerDisplay("Count = {DebuggerCount,nq}")]
[DebuggerTypeProxy(typeof(CollectionDebugView<>))]
public sealed class TQueue<T> : IReadOnlyCollection<T>
{
    // Representation: the linked list of TVar cells in _cells (its invariant is written beside the
    // fields of CellQueue). Enqueue reads the completion flag and writes the hole and the tail; the
    // consumer side, completion, the count and the snapshot are CellQueue's, shared with TBoundedQueue.

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
        _cells = new CellQueue<T>(list, "TQueue");
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

    /// <summary>
    /// Gets whether <see cref="Complete"/> has committed; items enqueued before it may remain. Callable
    /// inside or outside a transaction; never blocks.
    /// </summary>
    public bool IsCompleted => _cells.IsCompleted();

    /// <summary>Shows the count in the debugger without starting a transaction.</summary>
    private string DebuggerCount => _cells.DebuggerCount();

    /// <summary>
    /// Adds <paramref name="item"/> at the end of the queue. Callable inside or outside a transaction;
    /// never blocks.
    /// </summary>
    /// <param name="item">The item to add.</param>
    /// <exception cref="InvalidOperationException">The queue was completed (<see cref="Complete"/>); nothing is added.</exception>
    public void Enqueue(T item) =>
        WritesLastBody.Run((Queue: this, Item: item), static args => args.Queue.EnqueueCore(args.Item));

    /// <summary>
    /// Removes and returns the item at the front of the queue. Callable inside or outside a
    /// transaction. Blocks while the queue is empty: inside a transaction it calls
    /// <see cref="Atomic.Retry"/> (so it composes with <see cref="Atomic.OrElse{T}(Func{T}, Func{T})"/>
    /// and honours the transaction's cancellation and timeout); outside one it blocks the calling
    /// thread until an item arrives.
    /// </summary>
    /// <returns>The item that was at the front.</returns>
    /// <exception cref="ChannelClosedException">
    /// The queue is empty and was completed (<see cref="Complete"/>), so no item will ever arrive; a
    /// consumer waiting on the empty queue gets it as soon as the completion commits.
    /// </exception>
    /// <remarks>
    /// Outside a transaction it first makes a few non-blocking attempts with a short spin in between,
    /// and only then waits in <see cref="Atomic.Retry"/>: with an active producer the item usually
    /// arrives within the spin, and parking and waking a thread costs far more (the strategy of
    /// <see cref="SemaphoreSlim"/> and <see cref="System.Collections.Concurrent.BlockingCollection{T}"/>).
    /// </remarks>
    public T Dequeue() => _cells.Dequeue();

    /// <summary>
    /// Removes and returns the item at the front of the queue, blocking the calling thread while the
    /// queue is empty until an item arrives or <paramref name="cancellationToken"/> is cancelled. Call
    /// it outside a transaction only; inside one, call <see cref="Dequeue()"/> and give the token to
    /// <see cref="Atomic.Run{T}(Func{T}, CancellationToken)"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is removed then.</param>
    /// <returns>The item that was at the front.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before an item was removed.</exception>
    /// <exception cref="ChannelClosedException">The queue is empty and was completed.</exception>
    public T Dequeue(CancellationToken cancellationToken) => _cells.Dequeue(cancellationToken);

    /// <summary>
    /// Removes the item at the front of the queue if there is one. Callable inside or outside a
    /// transaction; never blocks (never retries).
    /// </summary>
    /// <param name="item">The item that was at the front, or <c>default</c> when the queue was empty.</param>
    /// <returns><see langword="true"/> if an item was removed.</returns>
    public bool TryDequeue([MaybeNullWhen(false)] out T item) => _cells.TryDequeue(out item);

    /// <summary>
    /// Removes the item at the front of the queue, blocking the calling thread at most
    /// <paramref name="timeout"/> while the queue is empty. Returns <see langword="false"/> at once
    /// when the queue is completed and empty. Call it outside a transaction only; inside one, call
    /// <see cref="TryDequeue(out T)"/> or <see cref="Dequeue()"/> and give the timeout to
    /// <see cref="Atomic.TryRun{T}(Func{T}, TimeSpan, out T)"/>.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="item">The item that was at the front, or <c>default</c> when none was removed.</param>
    /// <returns><see langword="true"/> if an item was removed; <see langword="false"/> (nothing removed) on timeout or completion.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    public bool TryDequeue(TimeSpan timeout, [MaybeNullWhen(false)] out T item) => _cells.TryDequeue(timeout, out item);

    /// <summary>
    /// Returns the item at the front of the queue without removing it. Callable inside or outside a
    /// transaction. Blocks while the queue is empty (<see cref="Atomic.Retry"/> inside a transaction,
    /// the calling thread outside one), like <see cref="Dequeue()"/>.
    /// </summary>
    /// <returns>The item at the front.</returns>
    /// <exception cref="ChannelClosedException">The queue is empty and was completed.</exception>
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
    /// outside a transaction only; inside one, call <see cref="Dequeue()"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is removed then.</param>
    /// <returns>The item that was at the front.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before an item was removed.</exception>
    /// <exception cref="ChannelClosedException">The queue is empty and was completed (the task faults with it).</exception>
    public ValueTask<T> DequeueAsync(CancellationToken cancellationToken = default)
    {
        WaitOptions.ThrowIfAsyncInTransaction("TQueue<T>.DequeueAsync", "TQueue<T>.Dequeue");
        return _cells.DequeueAsync(cancellationToken);
    }

    /// <summary>
    /// Says that no more items will be enqueued: later enqueues throw <see cref="InvalidOperationException"/>,
    /// the items already in the queue are still delivered, and once they are taken
    /// <see cref="Dequeue()"/> throws <see cref="ChannelClosedException"/>, <see cref="TryDequeue(out T)"/>
    /// returns <see langword="false"/> and the consuming enumerations end. Every consumer waiting on the
    /// empty queue is woken. Idempotent. Callable inside or outside a transaction; inside one it takes
    /// effect when the transaction commits (and not at all if it rolls back), together with the
    /// transaction's other writes. Never blocks.
    /// </summary>
    public void Complete() => _cells.Complete();

    /// <summary>
    /// Returns an enumeration that removes the items as they arrive, one per transaction, blocking the
    /// enumerating thread while the queue is empty, and ends when the queue is completed
    /// (<see cref="Complete"/>) and empty: the way for several consumers to share the items, each item
    /// going to exactly one of them (<see cref="System.Collections.Concurrent.BlockingCollection{T}.GetConsumingEnumerable()"/>).
    /// Enumerate it outside a transaction; advancing it inside one throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="cancellationToken">
    /// Stops the enumeration: a step started after cancellation, or waiting when it happens, throws
    /// <see cref="OperationCanceledException"/> without removing an item.
    /// </param>
    /// <returns>The consuming enumeration.</returns>
    public IEnumerable<T> GetConsumingEnumerable(CancellationToken cancellationToken = default) =>
        _cells.GetConsumingEnumerable(cancellationToken);

    /// <summary>
    /// Returns an asynchronous enumeration that removes the items as they arrive, one per transaction,
    /// waiting without blocking a thread while the queue is empty, and ends when the queue is completed
    /// (<see cref="Complete"/>) and empty (<see cref="ChannelReader{T}.ReadAllAsync(CancellationToken)"/>).
    /// Enumerate it outside a transaction; advancing it inside one throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="cancellationToken">
    /// Stops the enumeration (together with a token given to <c>WithCancellation</c>): a step started
    /// after cancellation, or waiting when it happens, throws <see cref="OperationCanceledException"/>
    /// without removing an item.
    /// </param>
    /// <returns>The asynchronous consuming enumeration.</returns>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _cells.ReadAllAsync(cancellationToken);

    /// <summary>For the debugger: the items, read without starting a transaction.</summary>
    /// <returns>At most a thousand items from the front.</returns>
    internal T[] DebuggerItems() => _cells.DebuggerItems();

    private void EnqueueCore(T item)
    {
        _cells.ThrowIfCompletedCore();
        _cells.Tail.Value = CellList.Append(_cells.Tail.Value, item);
    }
}
