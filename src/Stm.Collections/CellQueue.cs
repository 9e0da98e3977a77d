using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading.Channels;

namespace Stm.Collections;

/// <summary>
/// The linked list of TVar cells behind <see cref="TQueue{T}"/> and <see cref="TBoundedQueue{T}"/>:
/// its head and tail cursors, and every operation that needs nothing else (the consumer side, the
/// count, the snapshot, clearing, the debugger views). Both queues delegate to it, so those operations
/// exist once. The producer side stays in each queue, because that is where they differ: the bounded
/// queue checks and refills its write capacity before it appends.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <remarks>
/// Members without the <c>Core</c> suffix behave like the queue members of the same name: callable
/// inside a transaction (where they join it) or outside one (where each is its own transaction). The
/// <c>Core</c> members are transaction bodies: call them inside a transaction only; they may run
/// several times and have no side effect other than their TVar writes.
/// <para>The members that never wait (<see cref="TryDequeue(out T)"/>, and the queues' <c>Enqueue</c>
/// of <c>TQueue</c> and <c>TryEnqueue</c> of <c>TBoundedQueue</c>) run through
/// <see cref="WritesLastBody"/>: their bodies call no user code, throw (a completed queue) only
/// before their first write and never request a retry. The members that wait keep
/// <see cref="Transactional.Run{TState, TResult}(TState, Func{TState, TResult})"/>, whose scope
/// stops the caller's body at once when they request a retry.</para>
/// </remarks>
internal sealed class CellQueue<T>
{
    // Representation invariant (GHC TChan style; every name below is a TVar):
    //
    //   _head.Cell -> c[h] -> c[h+1] -> ... -> c[t-1] -> hole == _tail.Cell
    //
    //   h = _head.Index, t = _tail.Index, 0 <= h <= t.
    //   * c[i] (h <= i < t) holds QueueLink(item i, c[i+1]); the hole holds default (Next == null).
    //   * Following Next from _head.Cell reaches _tail.Cell after exactly t - h cells, so
    //     Count == t - h (exact, with no counter shared by producers and consumers).
    //   * Producers write the hole and _tail; consumers write _head and read c[h]. They meet in a TVar
    //     only when h == t (the queue is empty): that is where a consumer must wait for a producer.
    //   * Cells before _head are unreachable from the queue: dequeued items are garbage at once.
    //   * _completed goes from false to true once (Complete) and never back; from then on no
    //     producer advances _tail. Only Complete writes it. Producers read it on every enqueue;
    //     consumers read it only when the list is empty, just before they would wait, so that the
    //     commit of Complete wakes them. So it adds no conflict between producers and consumers.
    //   A queue may add its own invariants on top (TBoundedQueue: t - h <= capacity).

    /// <summary>The cursor at the first item (the hole when empty); written only by consumers.</summary>
    private readonly TVar<QueueCursor<T>> _head;

    /// <summary>The cursor at the hole after the last item; written only by producers.</summary>
    private readonly TVar<QueueCursor<T>> _tail;

    /// <summary>Whether the owning queue was completed (no more items will be added); written only by Complete.</summary>
    private readonly TVar<bool> _completed;

    /// <summary>The owning queue's type as users see it (<c>TQueue&lt;T&gt;</c>), for error messages.</summary>
    private readonly string _owner;

    /// <summary>A dequeue that never waits: the first item, if there is one (also the spin's attempt).</summary>
    private static readonly Func<CellQueue<T>, (bool Found, T Item)> s_tryDequeue = static cells => CellList.TryTake(cells._head);

    /// <summary>
    /// The body of every dequeue that waits: the first item; waits while the queue is empty, and
    /// throws <see cref="ChannelClosedException"/> when it is empty and completed.
    /// </summary>
    private static readonly Func<CellQueue<T>, T> s_dequeueOrWait =
        static cells => WaitingBody.ItemOrWait(CellList.TryTake(cells._head), cells._completed, cells._owner, "Dequeue");

    /// <summary>
    /// The body of one step of the consuming enumerations: the first item, or no item when the queue
    /// is completed and empty (the end); waits while it is empty and not completed.
    /// </summary>
    private static readonly Func<CellQueue<T>, (bool Found, T Item)> s_dequeueOrEnd =
        static cells => WaitingBody.ItemOrEnd(CellList.TryTake(cells._head), cells._completed);

    /// <summary>Creates the list's cursors. Callable inside or outside a transaction.</summary>
    /// <param name="list">The initial cursors (from <see cref="CellList.Empty{T}"/> or <see cref="CellList.FromItems{T}"/>).</param>
    /// <param name="owner">
    /// The owning queue's name without type arguments (<c>TQueue</c>): it prefixes the names of the
    /// TVars (which appear in conflict reports) and names the queue in error messages.
    /// </param>
    public CellQueue((QueueCursor<T> Head, QueueCursor<T> Tail) list, string owner)
    {
        _head = new TVar<QueueCursor<T>>(list.Head, owner + ".Head");
        _tail = new TVar<QueueCursor<T>>(list.Tail, owner + ".Tail");
        _completed = new TVar<bool>(false, owner + ".Completed");
        _owner = owner + "<T>";
    }

    /// <summary>
    /// The head cursor. Producers read it only where their queue says so (the bounded queue, when it
    /// refills its write capacity); only consumers here write it.
    /// </summary>
    public TVar<QueueCursor<T>> Head => _head;

    /// <summary>The tail cursor, which the producers of the owning queue advance.</summary>
    public TVar<QueueCursor<T>> Tail => _tail;

    /// <summary>The count, exact inside a transaction, a committed snapshot outside one. Never blocks.</summary>
    /// <returns>The number of items.</returns>
    public long Count() => Transactional.Run(this, static cells => cells.CountCore());

    /// <summary>Whether <see cref="Complete"/> has committed (items may remain). Never blocks.</summary>
    /// <returns><see langword="true"/> once the queue was completed.</returns>
    public bool IsCompleted() => _completed.Value;

    /// <summary>Marks the queue completed (idempotent; inside a transaction, at its commit). Never blocks.</summary>
    public void Complete() => Transactional.Run(this, static cells => CellList.Complete(cells._completed));

    /// <summary>
    /// For producers, inside a transaction, before they add an item: throws if the queue was
    /// completed. Reads the completion flag (one read; only Complete ever writes it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The queue was completed.</exception>
    public void ThrowIfCompletedCore() => CellList.ThrowIfCompleted(_completed, _owner);

    /// <summary>Whether the list is empty; reads only the consumer end. Never blocks.</summary>
    /// <returns><see langword="true"/> if there is no item.</returns>
    public bool IsEmpty() => Transactional.Run(_head, static head => CellList.IsEmpty(head));

    /// <summary>
    /// Removes and returns the first item, waiting while there is none (inside a transaction by
    /// retrying it; outside one, after a short spin of non-blocking attempts, by blocking the thread).
    /// </summary>
    /// <returns>The item that was first.</returns>
    public T Dequeue() =>
        SpinBeforeWaiting.TryRun(this, s_tryDequeue, out T item) ? item : Transactional.Run(this, s_dequeueOrWait);

    /// <summary>
    /// <see cref="Dequeue()"/> whose wait ends with <see cref="OperationCanceledException"/> (nothing
    /// removed) when <paramref name="cancellationToken"/> is cancelled. Outside a transaction only.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The item that was first.</returns>
    public T Dequeue(CancellationToken cancellationToken)
    {
        WaitOptions.ThrowIfInTransaction(_owner, "Dequeue(CancellationToken)", "Dequeue()");
        cancellationToken.ThrowIfCancellationRequested();
        return SpinBeforeWaiting.TryRun(this, s_tryDequeue, out T item) ? item : Transactional.Run(this, s_dequeueOrWait, cancellationToken);
    }

    /// <summary>
    /// Removes the first item, waiting at most <paramref name="timeout"/> for one; returns
    /// <see langword="false"/> (nothing removed) on timeout, or at once when the queue is completed and
    /// empty. Outside a transaction only.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="item">The item that was first, or <c>default</c>.</param>
    /// <returns><see langword="true"/> if an item was removed.</returns>
    public bool TryDequeue(TimeSpan timeout, [MaybeNullWhen(false)] out T item)
    {
        WaitOptions.ThrowIfInvalidTimeout(timeout);
        WaitOptions.ThrowIfInTransaction(_owner, "TryDequeue(TimeSpan, out T)", "TryDequeue(out T)");
        if (timeout != TimeSpan.Zero && SpinBeforeWaiting.TryRun(this, s_tryDequeue, out item))
        {
            return true;
        }

        if (Transactional.TryRun(this, s_dequeueOrEnd, timeout, out var outcome) && outcome.Found)
        {
            item = outcome.Item;
            return true;
        }

        item = default;
        return false;
    }

    /// <summary>
    /// The items, removed one per transaction as they arrive, until the queue is completed and
    /// drained; see the queues' <c>GetConsumingEnumerable</c>.
    /// </summary>
    /// <param name="cancellationToken">Ends a wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The consuming enumeration.</returns>
    public IEnumerable<T> GetConsumingEnumerable(CancellationToken cancellationToken) =>
        ConsumingEnumeration.Consume(this, s_tryDequeue, s_dequeueOrEnd, _owner + ".GetConsumingEnumerable", cancellationToken);

    /// <summary>
    /// The items, removed one per transaction as they arrive, waiting without blocking a thread, until
    /// the queue is completed and drained; see the queues' <c>ReadAllAsync</c>.
    /// </summary>
    /// <param name="cancellationToken">Ends a wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The asynchronous consuming enumeration.</returns>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken) =>
        ConsumingEnumeration.ConsumeAsync(this, s_dequeueOrEnd, _owner + ".ReadAllAsync", cancellationToken);

    /// <summary>Removes the first item if there is one. Never blocks (never retries).</summary>
    /// <param name="item">The item that was first, or <c>default</c> when there was none.</param>
    /// <returns><see langword="true"/> if an item was removed.</returns>
    public bool TryDequeue([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = WritesLastBody.Run(this, s_tryDequeue);
        return found;
    }

    /// <summary>Returns the first item without removing it, waiting while there is none.</summary>
    /// <returns>The first item.</returns>
    public T Peek() => Transactional.Run(this, static cells => WaitingBody.ItemOrWait(CellList.TryPeek(cells._head), cells._completed, cells._owner, "Peek"));

    /// <summary>Returns the first item without removing it, if there is one. Never blocks.</summary>
    /// <param name="item">The first item, or <c>default</c> when there is none.</param>
    /// <returns><see langword="true"/> if there was an item.</returns>
    public bool TryPeek([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Transactional.Run(this, static cells => CellList.TryPeek(cells._head));
        return found;
    }

    /// <summary>Removes every item, touching a constant number of TVars. Never blocks.</summary>
    public void Clear() => Transactional.Run(this, static cells => cells.ClearCore());

    /// <summary>Copies the items, first to last, as one consistent snapshot. Never blocks.</summary>
    /// <returns>The items.</returns>
    public T[] ToArray() => Transactional.Run(this, static cells => cells.ToArrayCore());

    /// <summary>
    /// Removes and returns the first item, waiting without blocking a thread while there is none.
    /// The caller has already refused a call inside a transaction (with its own member names).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is removed then.</param>
    /// <returns>The item that was first.</returns>
    public ValueTask<T> DequeueAsync(CancellationToken cancellationToken)
    {
        Debug.Assert(!Atomic.InTransaction, "The owning queue refuses DequeueAsync inside a transaction.");
        return Transactional.RunAsync(this, s_dequeueOrWait, cancellationToken);
    }

    /// <summary>For the debugger: the count, without starting a transaction.</summary>
    /// <returns>The count, or why it was not evaluated.</returns>
    public string DebuggerCount() => DebuggerRead.Text(this, static cells =>
    {
        // Two single non-transactional reads, head first: the tail read later is at least as far.
        long head = cells._head.Value.Index;
        return (cells._tail.Value.Index - head).ToString(CultureInfo.InvariantCulture);
    });

    /// <summary>For the debugger view (outside a transaction): the items, read without starting one.</summary>
    /// <returns>At most a thousand items from the front.</returns>
    public T[] DebuggerItems() => CellList.DebuggerItems(_head.Value.Cell, CollectionDebugView<T>.MaxItems);

    /// <summary>The exact count (inside a transaction only): reads both ends.</summary>
    /// <returns>The number of items.</returns>
    public long CountCore()
    {
        long count = _tail.Value.Index - _head.Value.Index;
        Debug.Assert(count >= 0, "The head never passes the tail.");
        return count;
    }

    private void ClearCore()
    {
        var tail = _tail.Value;
        if (_head.Value.Index != tail.Index)
        {
            // Moving the head to the hole drops every cell at once. In a bounded queue this also frees
            // the cleared items' capacity into its read capacity, exactly as dequeues do.
            _head.Value = tail;
        }
    }

    private T[] ToArrayCore()
    {
        var head = _head.Value;
        return CellList.ToArray(head, _tail.Value.Index - head.Index);
    }
}
