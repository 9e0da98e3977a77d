using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

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
/// <see cref="Dequeue()"/>, <see cref="Peek"/> (while empty) and <see cref="Enqueue(T)"/> (while full) wait
/// by calling <see cref="Atomic.Retry"/>, so they compose with
/// <see cref="Atomic.OrElse(Action, Action)"/> and honour the cancellation token of
/// <see cref="Atomic.Run(Action, CancellationToken)"/> and the timeout of
/// <see cref="Atomic.TryRun(Action, TimeSpan)"/>. The <c>Try</c> members never retry. Outside a
/// transaction, <see cref="Enqueue(T, CancellationToken)"/>, <see cref="TryEnqueue(T, TimeSpan)"/>,
/// <see cref="Dequeue(CancellationToken)"/> and <see cref="TryDequeue(TimeSpan, out T)"/> wait with a
/// token or a timeout of their own.
/// </para>
/// <para>
/// <see cref="Complete"/> says that no more items will come, as on <see cref="TQueue{T}"/>: later
/// enqueues throw (a producer waiting for room too), consumers still get every item enqueued before
/// it, and a consumer that finds the queue completed and empty gets <see cref="ChannelClosedException"/>
/// (the consuming enumerations end there). The completion flag is a TVar that only
/// <see cref="Complete"/> writes, read by every enqueue and by consumers only when the queue is empty.
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
    //   * Completion is CellQueue's flag: producers read it first (so a completed queue refuses an
    //     item even when full, and a producer waiting for room is woken by Complete).

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

    /// <summary>
    /// An enqueue that never waits: whether it added the item, paired with the item (the shape of an
    /// attempt that <see cref="SpinBeforeWaiting"/> takes).
    /// </summary>
    private static readonly Func<(TBoundedQueue<T> Queue, T Item), (bool Enqueued, T Item)> s_tryEnqueue =
        static args => (args.Queue.TryEnqueueCore(args.Item), args.Item);

    /// <summary>The body of every enqueue that waits: adds the item, or waits for room while the queue is full.</summary>
    private static readonly Action<(TBoundedQueue<T> Queue, T Item)> s_enqueueOrWait =
        static args => WaitingBody.UnlessDone(args.Queue.TryEnqueueCore(args.Item));

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
        _cells = new CellQueue<T>(CellList.Empty<T>(), "TBoundedQueue");
        _writeLimit = new TVar<long>(capacity, "TBoundedQueue.WriteLimit");
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
    public bool IsFull => Transactional.Run(this, static queue => queue.IsFullCore());

    /// <summary>
    /// Gets whether <see cref="Complete"/> has committed; items enqueued before it may remain. Callable
    /// inside or outside a transaction; never blocks.
    /// </summary>
    public bool IsCompleted => _cells.IsCompleted();

    /// <summary>Shows the count in the debugger without starting a transaction.</summary>
    private string DebuggerCount => _cells.DebuggerCount();

    /// <summary>
    /// Adds <paramref name="item"/> at the end of the queue. Callable inside or outside a transaction.
    /// Blocks while the queue is full: inside a transaction it calls <see cref="Atomic.Retry"/> (so it
    /// composes with <see cref="Atomic.OrElse(Action, Action)"/> and honours the transaction's
    /// cancellation and timeout); outside one it blocks the calling thread until there is room.
    /// </summary>
    /// <param name="item">The item to add.</param>
    /// <exception cref="InvalidOperationException">
    /// The queue was completed (<see cref="Complete"/>), before the call or while it waited for room;
    /// nothing is added.
    /// </exception>
    /// <remarks>
    /// Outside a transaction it first makes a few non-blocking attempts with a short spin in between,
    /// and only then waits in <see cref="Atomic.Retry"/>: with an active consumer room usually
    /// appears within the spin, and parking and waking a thread costs far more (the strategy of
    /// <see cref="SemaphoreSlim"/> and <see cref="System.Collections.Concurrent.BlockingCollection{T}"/>).
    /// </remarks>
    public void Enqueue(T item)
    {
        if (!SpinBeforeWaiting.TryRun((Queue: this, Item: item), s_tryEnqueue, out _))
        {
            Transactional.Run((Queue: this, Item: item), s_enqueueOrWait);
        }
    }

    /// <summary>
    /// Adds <paramref name="item"/> at the end of the queue, blocking the calling thread while the
    /// queue is full until there is room or <paramref name="cancellationToken"/> is cancelled. Call it
    /// outside a transaction only; inside one, call <see cref="Enqueue(T)"/> and give the token to
    /// <see cref="Atomic.Run(Action, CancellationToken)"/>.
    /// </summary>
    /// <param name="item">The item to add.</param>
    /// <param name="cancellationToken">Cancels the wait; nothing is added then.</param>
    /// <exception cref="InvalidOperationException">Called inside a transaction; or the queue was completed (nothing is added).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the item was added.</exception>
    public void Enqueue(T item, CancellationToken cancellationToken)
    {
        WaitOptions.ThrowIfInTransaction("TBoundedQueue<T>", "Enqueue(T, CancellationToken)", "Enqueue(T)");
        cancellationToken.ThrowIfCancellationRequested();
        if (!SpinBeforeWaiting.TryRun((Queue: this, Item: item), s_tryEnqueue, out _))
        {
            Transactional.Run((Queue: this, Item: item), s_enqueueOrWait, cancellationToken);
        }
    }

    /// <summary>
    /// Adds <paramref name="item"/> at the end of the queue if there is room. Callable inside or
    /// outside a transaction; never blocks (never retries).
    /// </summary>
    /// <param name="item">The item to add.</param>
    /// <returns><see langword="true"/> if the item was added; <see langword="false"/> if the queue was full.</returns>
    /// <exception cref="InvalidOperationException">The queue was completed (<see cref="Complete"/>); nothing is added.</exception>
    public bool TryEnqueue(T item) => WritesLastBody.Run((Queue: this, Item: item), s_tryEnqueue).Enqueued;

    /// <summary>
    /// Adds <paramref name="item"/> at the end of the queue, blocking the calling thread at most
    /// <paramref name="timeout"/> while the queue is full. Call it outside a transaction only; inside
    /// one, call <see cref="TryEnqueue(T)"/> or <see cref="Enqueue(T)"/> and give the timeout to
    /// <see cref="Atomic.TryRun(Action, TimeSpan)"/>.
    /// </summary>
    /// <param name="item">The item to add.</param>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns><see langword="true"/> if the item was added; <see langword="false"/> (nothing added) if the queue stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="InvalidOperationException">Called inside a transaction; or the queue was completed (nothing is added).</exception>
    public bool TryEnqueue(T item, TimeSpan timeout)
    {
        WaitOptions.ThrowIfInvalidTimeout(timeout);
        WaitOptions.ThrowIfInTransaction("TBoundedQueue<T>", "TryEnqueue(T, TimeSpan)", "TryEnqueue(T)");
        if (timeout == TimeSpan.Zero)
        {
            return TryEnqueue(item);
        }

        return SpinBeforeWaiting.TryRun((Queue: this, Item: item), s_tryEnqueue, out _)
            || Transactional.TryRun((Queue: this, Item: item), s_enqueueOrWait, timeout);
    }

    /// <summary>
    /// Removes and returns the item at the front of the queue. Callable inside or outside a
    /// transaction. Blocks while the queue is empty: inside a transaction it calls
    /// <see cref="Atomic.Retry"/>; outside one it blocks the calling thread until an item arrives.
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
    /// the calling thread outside one).
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
    /// transaction only; inside one, call <see cref="Enqueue(T)"/>.
    /// </summary>
    /// <param name="item">The item to add.</param>
    /// <param name="cancellationToken">Cancels the wait; nothing is added then.</param>
    /// <returns>A task that completes when the item has been added.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the item was added.</exception>
    /// <exception cref="InvalidOperationException">The queue was completed, before the call or while it waited (the task faults with it).</exception>
    public ValueTask EnqueueAsync(T item, CancellationToken cancellationToken = default)
    {
        WaitOptions.ThrowIfAsyncInTransaction("TBoundedQueue<T>.EnqueueAsync", "TBoundedQueue<T>.Enqueue");
        return Transactional.RunAsync((Queue: this, Item: item), s_enqueueOrWait, cancellationToken);
    }

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
        WaitOptions.ThrowIfAsyncInTransaction("TBoundedQueue<T>.DequeueAsync", "TBoundedQueue<T>.Dequeue");
        return _cells.DequeueAsync(cancellationToken);
    }

    /// <summary>
    /// Says that no more items will be enqueued: later enqueues throw <see cref="InvalidOperationException"/>
    /// (producers waiting for room are woken and throw too), the items already in the queue are still
    /// delivered, and once they are taken <see cref="Dequeue()"/> throws <see cref="ChannelClosedException"/>,
    /// <see cref="TryDequeue(out T)"/> returns <see langword="false"/> and the consuming enumerations end.
    /// Every consumer waiting on the empty queue is woken. Idempotent. Callable inside or outside a
    /// transaction; inside one it takes effect when the transaction commits (and not at all if it rolls
    /// back), together with the transaction's other writes. Never blocks.
    /// </summary>
    public void Complete() => _cells.Complete();

    /// <summary>
    /// Returns an enumeration that removes the items as they arrive, one per transaction, blocking the
    /// enumerating thread while the queue is empty, and ends when the queue is completed
    /// (<see cref="Complete"/>) and empty: each item goes to exactly one of the consumers that share
    /// the queue. Enumerate it outside a transaction; advancing it inside one throws
    /// <see cref="InvalidOperationException"/>.
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
    /// (<see cref="Complete"/>) and empty. Enumerate it outside a transaction; advancing it inside one
    /// throws <see cref="InvalidOperationException"/>.
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

    private bool TryEnqueueCore(T item)
    {
        // First, so that a completed queue refuses the item even when full, and so that a producer
        // waiting for room has read the flag that Complete writes (its commit wakes the producer).
        _cells.ThrowIfCompletedCore();
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
