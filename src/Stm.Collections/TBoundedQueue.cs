using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Stm.Collections;

/// <summary>
/// A first-in first-out queue with a fixed capacity whose operations are transactional: each works
/// inside a transaction, where it composes with everything else the transaction does, and outside
/// one, where it is its own atomic transaction.
/// </summary>
/// <typeparam name="T">The type of the items. Items should be immutable: the queue copies references.</typeparam>
/// <remarks>
/// <para>
/// The queue is a linked list of TVar cells with separate head and tail TVars, like
/// <see cref="TQueue{T}"/>, so producers and consumers do not conflict while the queue is neither
/// empty nor full. The capacity is tracked as GHC's <c>TBQueue</c> does it, with the free space split
/// between a write-side and a read-side counter, so that there is no count that producers and
/// consumers would both have to write (see the representation invariant in the source).
/// </para>
/// <para>
/// <see cref="Dequeue"/>, <see cref="Peek"/> (while empty) and <see cref="Enqueue"/> (while full) wait
/// by calling <see cref="Atomic.Retry"/>, so they compose with
/// <see cref="Atomic.OrElse(Action, Action)"/> and honour the cancellation token of
/// <see cref="Atomic.Run(Action, CancellationToken)"/> and the timeout of
/// <see cref="Atomic.TryRun(Action, TimeSpan)"/>. The <c>Try</c> members never retry.
/// </para>
/// </remarks>
[DebuggerDisplay("Count = {DebuggerCount,nq}, Capacity = {Capacity}")]
[DebuggerTypeProxy(typeof(CollectionDebugView<>))]
public sealed class TBoundedQueue<T> : IReadOnlyCollection<T>
{
    // Representation invariant (every name below except _capacity is a TVar; _head and _tail are
    //   _cells.Head and _cells.Tail):
    //
    //   _head.Cell -> c[h] -> c[h+1] -> ... -> c[t-1] -> hole == _tail.Cell
    //
    //   h = _head.Index, t = _tail.Index, L = _writeLimit, CAP = _capacity:
    //     0 <= h <= t <= L <= h + CAP
    //   * The list is the one of TQueue (CellQueue, shared with it, owns the list and the consumer
    //     side): c[i] holds QueueLink(item i, c[i+1]), the hole holds default, Count == t - h <= CAP.
    //   * Free capacity CAP - (t - h) is split in two, as GHC's TBQueue splits it into CW + CR:
    //       write capacity  CW = L - t            (owned by producers: in _tail and _writeLimit)
    //       read capacity   CR = h + CAP - L      (owned by consumers: it grows as _head advances)
    //     A dequeue frees one slot into CR just by advancing _head; it writes nothing else.
    //     An enqueue spends one slot of CW just by advancing _tail. Only when CW is used up
    //     (t == L) does a producer read _head and move all of CR into CW (L := h + CAP); if CR is
    //     zero too the queue is full and Enqueue retries, waiting for a consumer to move _head.
    //   * So producers write {hole, _tail, sometimes _writeLimit} and consumers write {_head}; they
    //     meet in a TVar only when the queue is empty (the hole is c[h]) or when the producer has
    //     used up its write capacity (it reads _head) - never in the steady state in between.

    /// <summary>The maximum number of items; fixed at construction.</summary>
    private readonly int _capacity;

    /// <summary>
    /// The list, its head cursor (written only by consumers) and tail cursor (written only by
    /// producers), and the operations shared with <see cref="TQueue{T}"/>.
    /// </summary>
    private readonly CellQueue<T> _cells;

    /// <summary>
    /// The tail index up to which producers may enqueue without looking at the head
    /// (GHC's write capacity, as an absolute index); written only by producers.
    /// </summary>
    private readonly TVar<long> _writeLimit;

    /// <summary>The body of a non-blocking enqueue run as its own transaction.</summary>
    private static readonly Func<(TBoundedQueue<T> Queue, T Item), bool> s_tryEnqueue =
        static args => args.Queue.TryEnqueueCore(args.Item);

    /// <summary>
    /// The body of a blocking enqueue run as its own transaction: waits for room through
    /// <see cref="Atomic.RequestRetry"/>, without the cost of an exception.
    /// </summary>
    private static readonly Action<(TBoundedQueue<T> Queue, T Item)> s_enqueueOrWait =
        static args => TopLevelWait.UnlessDone(args.Queue.TryEnqueueCore(args.Item));

    /// <summary>Cached delegate for running <see cref="IsFullCore"/> as its own transaction.</summary>
    private readonly Func<bool> _isFull;

    /// <summary>
    /// Creates an empty queue that holds at most <paramref name="capacity"/> items. Callable inside
    /// or outside a transaction. Memory is taken per item held, not per unit of capacity.
    /// </summary>
    /// <param name="capacity">The maximum number of items, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public TBoundedQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _cells = new CellQueue<T>(CellList.Empty<T>(), "TBoundedQueue.Head", "TBoundedQueue.Tail");
        _writeLimit = new TVar<long>(capacity, "TBoundedQueue.WriteLimit");
        _isFull = IsFullCore;
    }

    /// <summary>Gets the maximum number of items the queue holds. Callable anywhere; never blocks.</summary>
    public int Capacity => _capacity;

    /// <summary>
    /// Gets the number of items in the queue: exact inside a transaction (it reads both ends, so it
    /// conflicts with concurrent producers and consumers); outside one, a committed snapshot. Never blocks.
    /// </summary>
    public int Count
    {
        get
        {
            long count = _cells.Count();
            Debug.Assert(count <= _capacity, "Count <= Capacity.");
            return (int)count;
        }
    }

    /// <summary>
    /// Gets whether the queue is empty. Callable inside or outside a transaction; never blocks. Reads
    /// only the consumer end.
    /// </summary>
    public bool IsEmpty => _cells.IsEmpty();

    /// <summary>
    /// Gets whether the queue holds <see cref="Capacity"/> items. Callable inside or outside a
    /// transaction; never blocks. Reads both ends.
    /// </summary>
    public bool IsFull => Atomic.InTransaction ? IsFullCore() : Atomic.Run(_isFull);

    /// <summary>Shows the count in the debugger without starting a transaction.</summary>
    private string DebuggerCount => _cells.DebuggerCount();

    /// <summary>
    /// Adds <paramref name="item"/> at the end of the queue. Callable inside or outside a transaction.
    /// Blocks while the queue is full: inside a transaction it calls <see cref="Atomic.Retry"/> (so it
    /// composes with <see cref="Atomic.OrElse(Action, Action)"/> and honours the transaction's
    /// cancellation and timeout); outside one it blocks the calling thread until there is room.
    /// </summary>
    /// <param name="item">The item to add.</param>
    /// <remarks>
    /// Outside a transaction it first makes a few non-blocking attempts with a short spin in between,
    /// and only then waits in <see cref="Atomic.Retry"/>: with an active consumer room usually
    /// appears within the spin, and parking and waking a thread costs far more (the strategy of
    /// <see cref="SemaphoreSlim"/> and <see cref="System.Collections.Concurrent.BlockingCollection{T}"/>).
    /// </remarks>
    public void Enqueue(T item)
    {
        if (Atomic.InTransaction)
        {
            EnqueueCore(item);
            return;
        }

        SpinWait spinner = default;
        while (!spinner.NextSpinWillYield)
        {
            if (Atomic.Run((Queue: this, Item: item), s_tryEnqueue))
            {
                return;
            }

            spinner.SpinOnce();
        }

        Atomic.Run((Queue: this, Item: item), s_enqueueOrWait);
    }

    /// <summary>
    /// Adds <paramref name="item"/> at the end of the queue if there is room. Callable inside or
    /// outside a transaction; never blocks (never retries).
    /// </summary>
    /// <param name="item">The item to add.</param>
    /// <returns><see langword="true"/> if the item was added; <see langword="false"/> if the queue was full.</returns>
    public bool TryEnqueue(T item)
    {
        if (Atomic.InTransaction)
        {
            return TryEnqueueCore(item);
        }

        return Atomic.Run((Queue: this, Item: item), s_tryEnqueue);
    }

    /// <summary>
    /// Removes and returns the item at the front of the queue. Callable inside or outside a
    /// transaction. Blocks while the queue is empty: inside a transaction it calls
    /// <see cref="Atomic.Retry"/>; outside one it blocks the calling thread until an item arrives.
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
    /// the calling thread outside one).
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
    /// number of TVars whatever the count.
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
    /// <see cref="ToArray"/>). Callable inside or outside a transaction; never blocks.
    /// </summary>
    /// <returns>An enumerator over the snapshot.</returns>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)ToArray()).GetEnumerator();

    /// <inheritdoc cref="GetEnumerator"/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Adds <paramref name="item"/> at the end of the queue, waiting without blocking a thread while
    /// the queue is full (<see cref="Atomic.RunAsync(Action, CancellationToken)"/>). Call it outside a
    /// transaction only; inside one, call <see cref="Enqueue"/>.
    /// </summary>
    /// <param name="item">The item to add.</param>
    /// <param name="cancellationToken">Cancels the wait; nothing is added then.</param>
    /// <returns>A task that completes when the item has been added.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the item was added.</exception>
    public ValueTask EnqueueAsync(T item, CancellationToken cancellationToken = default)
    {
        if (Atomic.InTransaction)
        {
            ThrowHelper.ThrowAsyncInsideTransaction("TBoundedQueue<T>.EnqueueAsync", "TBoundedQueue<T>.Enqueue");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return Atomic.RunAsync((Queue: this, Item: item), s_enqueueOrWait, cancellationToken);
    }

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
            ThrowHelper.ThrowAsyncInsideTransaction("TBoundedQueue<T>.DequeueAsync", "TBoundedQueue<T>.Dequeue");
        }

        return _cells.DequeueAsync(cancellationToken);
    }

    /// <summary>For the debugger: the items, read without starting a transaction.</summary>
    /// <returns>At most a thousand items from the front.</returns>
    internal T[] DebuggerItems() => _cells.DebuggerItems();

    private void EnqueueCore(T item)
    {
        if (!TryEnqueueCore(item))
        {
            Atomic.Retry();
        }
    }

    private bool TryEnqueueCore(T item)
    {
        var tail = _cells.Tail.Value;
        if (tail.Index == _writeLimit.Value)
        {
            // Write capacity (CW) used up: take the read capacity (CR) that consumers have freed
            // since the last refill. This is the only place a producer reads the consumer end.
            long limit = _cells.Head.Value.Index + _capacity;
            if (tail.Index == limit)
            {
                return false;
            }

            _writeLimit.Value = limit;
        }

        _cells.Tail.Value = CellList.Append(tail, item);
        return true;
    }

    private bool IsFullCore()
    {
        long count = _cells.CountCore();
        Debug.Assert(count <= _capacity, "Count <= Capacity.");
        return count == _capacity;
    }
}
