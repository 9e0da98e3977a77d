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

    /// <summary>
    /// Cached delegates for running the core operations as their own transactions, so that an
    /// operation outside a transaction allocates no delegate. The waiting ones wait through
    /// <see cref="Atomic.RequestRetry"/>, which spares a blocked consumer the cost of an exception.
    /// </summary>
    private readonly Func<T> _dequeueOrWait;
    private readonly Func<T> _peekOrWait;
    private readonly Func<(bool Found, T Item)> _dequeueOrEnd;
    private readonly Func<(bool Found, T Item)> _tryDequeue;
    private readonly Func<(bool Found, T Item)> _tryPeek;
    private readonly Func<long> _count;
    private readonly Func<T[]> _toArray;
    private readonly Action _complete;

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
        _dequeueOrWait = DequeueOrWait;
        _peekOrWait = PeekOrWait;
        _dequeueOrEnd = DequeueOrEnd;
        _tryDequeue = TryDequeueCore;
        _tryPeek = TryPeekCore;
        _count = CountCore;
        _toArray = ToArrayCore;
        _complete = CompleteCore;
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
    public long Count() => Atomic.InTransaction ? CountCore() : Atomic.Run(_count);

    /// <summary>Whether <see cref="Complete"/> has committed (items may remain). Never blocks.</summary>
    /// <returns><see langword="true"/> once the queue was completed.</returns>
    public bool IsCompleted() => _completed.Value;

    /// <summary>Marks the queue completed (idempotent; inside a transaction, at its commit). Never blocks.</summary>
    public void Complete()
    {
        if (Atomic.InTransaction)
        {
            CompleteCore();
        }
        else
        {
            Atomic.Run(_complete);
        }
    }

    /// <summary>
    /// For producers, inside a transaction, before they add an item: throws if the queue was
    /// completed. Reads the completion flag (one read; only Complete ever writes it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The queue was completed.</exception>
    public void ThrowIfCompletedCore()
    {
        if (_completed.Value)
        {
            ThrowHelper.ThrowCompleted(_owner);
        }
    }

    /// <summary>Whether the list is empty; reads only the consumer end. Never blocks.</summary>
    /// <returns><see langword="true"/> if there is no item.</returns>
    public bool IsEmpty() => Atomic.InTransaction ? IsEmptyCore() : Atomic.Run(IsEmptyCore);

    /// <summary>
    /// Removes and returns the first item, waiting while there is none (<see cref="Atomic.Retry"/>
    /// inside a transaction; outside one, a short spin of non-blocking attempts, then a blocking one).
    /// </summary>
    /// <returns>The item that was first.</returns>
    public T Dequeue()
    {
        if (Atomic.InTransaction)
        {
            return DequeueCore();
        }

        return TrySpin(out T? item) ? item : Atomic.Run(_dequeueOrWait);
    }

    /// <summary>
    /// <see cref="Dequeue()"/> whose wait ends with <see cref="OperationCanceledException"/> (nothing
    /// removed) when <paramref name="cancellationToken"/> is cancelled. Outside a transaction only.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The item that was first.</returns>
    public T Dequeue(CancellationToken cancellationToken)
    {
        TopLevelWait.ThrowIfInTransaction(_owner, "Dequeue(CancellationToken)", "Dequeue()");
        cancellationToken.ThrowIfCancellationRequested();
        return TrySpin(out T? item) ? item : Atomic.Run(_dequeueOrWait, cancellationToken);
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
        TopLevelWait.ThrowIfInvalidTimeout(timeout);
        TopLevelWait.ThrowIfInTransaction(_owner, "TryDequeue(TimeSpan, out T)", "TryDequeue(out T)");
        if (timeout != TimeSpan.Zero && TrySpin(out item))
        {
            return true;
        }

        if (Atomic.TryRun(_dequeueOrEnd, timeout, out var outcome) && outcome.Found)
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
        ConsumingEnumeration.Consume(_tryDequeue, _dequeueOrEnd, _owner + ".GetConsumingEnumerable", cancellationToken);

    /// <summary>
    /// The items, removed one per transaction as they arrive, waiting without blocking a thread, until
    /// the queue is completed and drained; see the queues' <c>ReadAllAsync</c>.
    /// </summary>
    /// <param name="cancellationToken">Ends a wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The asynchronous consuming enumeration.</returns>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken) =>
        ConsumingEnumeration.ConsumeAsync(_dequeueOrEnd, _owner + ".ReadAllAsync", cancellationToken);

    /// <summary>Removes the first item if there is one. Never blocks (never retries).</summary>
    /// <param name="item">The item that was first, or <c>default</c> when there was none.</param>
    /// <returns><see langword="true"/> if an item was removed.</returns>
    public bool TryDequeue([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Atomic.InTransaction ? TryDequeueCore() : Atomic.Run(_tryDequeue);
        return found;
    }

    /// <summary>Returns the first item without removing it, waiting while there is none.</summary>
    /// <returns>The first item.</returns>
    public T Peek() => Atomic.InTransaction ? PeekCore() : Atomic.Run(_peekOrWait);

    /// <summary>Returns the first item without removing it, if there is one. Never blocks.</summary>
    /// <param name="item">The first item, or <c>default</c> when there is none.</param>
    /// <returns><see langword="true"/> if there was an item.</returns>
    public bool TryPeek([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Atomic.InTransaction ? TryPeekCore() : Atomic.Run(_tryPeek);
        return found;
    }

    /// <summary>Removes every item, touching a constant number of TVars. Never blocks.</summary>
    public void Clear()
    {
        if (Atomic.InTransaction)
        {
            ClearCore();
        }
        else
        {
            Atomic.Run(ClearCore);
        }
    }

    /// <summary>Copies the items, first to last, as one consistent snapshot. Never blocks.</summary>
    /// <returns>The items.</returns>
    public T[] ToArray() => Atomic.InTransaction ? ToArrayCore() : Atomic.Run(_toArray);

    /// <summary>
    /// Removes and returns the first item, waiting without blocking a thread while there is none.
    /// The caller has already refused a call inside a transaction (with its own member names).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is removed then.</param>
    /// <returns>The item that was first.</returns>
    public ValueTask<T> DequeueAsync(CancellationToken cancellationToken)
    {
        Debug.Assert(!Atomic.InTransaction, "The owning queue refuses DequeueAsync inside a transaction.");
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        return Atomic.RunAsync(_dequeueOrWait, cancellationToken);
    }

    /// <summary>
    /// Outside a transaction: a few non-blocking attempts with a short spin in between. With an active
    /// producer the item usually arrives within the spin, and parking and waking a thread in Retry
    /// costs far more (the strategy of SemaphoreSlim and BlockingCollection).
    /// </summary>
    /// <param name="item">The item removed, or <c>default</c>.</param>
    /// <returns><see langword="true"/> if an attempt removed an item.</returns>
    private bool TrySpin([MaybeNullWhen(false)] out T item)
    {
        SpinWait spinner = default;
        while (!spinner.NextSpinWillYield)
        {
            (bool found, item) = Atomic.Run(_tryDequeue);
            if (found)
            {
                return true;
            }

            spinner.SpinOnce();
        }

        item = default;
        return false;
    }

    /// <summary>For the debugger: the count, without starting a transaction.</summary>
    /// <returns>The count, or why it was not evaluated.</returns>
    public string DebuggerCount()
    {
        if (Atomic.InTransaction)
        {
            return "(not evaluated inside a transaction)";
        }

        // Two single non-transactional reads, head first: the tail read later is at least as far.
        long head = _head.Value.Index;
        return (_tail.Value.Index - head).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>For the debugger: the items, read without starting a transaction.</summary>
    /// <returns>At most a thousand items from the front.</returns>
    public T[] DebuggerItems() =>
        Atomic.InTransaction ? [] : CellList.DebuggerItems(_head.Value.Cell, CollectionDebugView<T>.MaxItems);

    /// <summary>The exact count (inside a transaction only): reads both ends.</summary>
    /// <returns>The number of items.</returns>
    public long CountCore()
    {
        long count = _tail.Value.Index - _head.Value.Index;
        Debug.Assert(count >= 0, "The head never passes the tail.");
        return count;
    }

    private T DequeueCore()
    {
        var head = _head.Value;
        var link = head.Cell.Value;
        if (link.Next is null)
        {
            RetryUnlessCompletedCore("Dequeue");
        }

        _head.Value = new QueueCursor<T>(link.Next!, head.Index + 1);
        return link.Item;
    }

    private (bool Found, T Item) TryDequeueCore()
    {
        var head = _head.Value;
        var link = head.Cell.Value;
        if (link.Next is null)
        {
            return (false, default!);
        }

        _head.Value = new QueueCursor<T>(link.Next, head.Index + 1);
        return (true, link.Item);
    }

    /// <summary>
    /// The body of a dequeue run as its own transaction: waits without an exception while the queue
    /// is empty; throws <see cref="ChannelClosedException"/> when it is empty and completed.
    /// </summary>
    private T DequeueOrWait() => TopLevelWait.ItemOrWait(TryDequeueCore(), _completed, _owner, "Dequeue");

    /// <summary>The body of a peek run as its own transaction: <see cref="DequeueOrWait"/> without removing.</summary>
    private T PeekOrWait() => TopLevelWait.ItemOrWait(TryPeekCore(), _completed, _owner, "Peek");

    /// <summary>
    /// The body of one step of the consuming enumerations: the first item, or no item when the queue
    /// is completed and empty (the end); waits without an exception while it is empty and not completed.
    /// </summary>
    private (bool Found, T Item) DequeueOrEnd() => TopLevelWait.ItemOrEnd(TryDequeueCore(), _completed);

    private T PeekCore()
    {
        var link = _head.Value.Cell.Value;
        if (link.Next is null)
        {
            RetryUnlessCompletedCore("Peek");
        }

        return link.Item;
    }

    /// <summary>
    /// Inside a caller's transaction, on an empty queue: retries, or throws when the queue is
    /// completed. The flag is read before retrying so that the commit of Complete wakes the wait.
    /// </summary>
    /// <param name="member">The waiting member, for the message.</param>
    [DoesNotReturn]
    private void RetryUnlessCompletedCore(string member)
    {
        if (TopLevelWait.IsCompletedBeforeWait(_completed))
        {
            ThrowHelper.ThrowNoMoreItems(_owner, member);
        }

        Atomic.Retry();
    }

    private void CompleteCore()
    {
        // Writing only on the first call keeps a repeated Complete read-only: it then neither
        // conflicts with producers nor wakes waiters again.
        if (!_completed.Value)
        {
            _completed.Value = true;
        }
    }

    private (bool Found, T Item) TryPeekCore()
    {
        var link = _head.Value.Cell.Value;
        return link.Next is null ? (false, default!) : (true, link.Item);
    }

    private bool IsEmptyCore() => _head.Value.Cell.Value.Next is null;

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
