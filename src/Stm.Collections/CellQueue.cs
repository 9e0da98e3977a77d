using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

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
    //   A queue may add its own invariants on top (TBoundedQueue: t - h <= capacity).

    /// <summary>The cursor at the first item (the hole when empty); written only by consumers.</summary>
    private readonly TVar<QueueCursor<T>> _head;

    /// <summary>The cursor at the hole after the last item; written only by producers.</summary>
    private readonly TVar<QueueCursor<T>> _tail;

    /// <summary>
    /// Cached delegates for running the core operations as their own transactions, so that an
    /// operation outside a transaction allocates no delegate. The waiting ones wait through
    /// <see cref="Atomic.RequestRetry"/>, which spares a blocked consumer the cost of an exception.
    /// </summary>
    private readonly Func<T> _dequeueOrWait;
    private readonly Func<T> _peekOrWait;
    private readonly Func<(bool Found, T Item)> _tryDequeue;
    private readonly Func<(bool Found, T Item)> _tryPeek;
    private readonly Func<long> _count;
    private readonly Func<T[]> _toArray;

    /// <summary>Creates the list's cursors. Callable inside or outside a transaction.</summary>
    /// <param name="list">The initial cursors (from <see cref="CellList.Empty{T}"/> or <see cref="CellList.FromItems{T}"/>).</param>
    /// <param name="headName">The name of the head TVar (it appears in conflict reports).</param>
    /// <param name="tailName">The name of the tail TVar.</param>
    public CellQueue((QueueCursor<T> Head, QueueCursor<T> Tail) list, string headName, string tailName)
    {
        _head = new TVar<QueueCursor<T>>(list.Head, headName);
        _tail = new TVar<QueueCursor<T>>(list.Tail, tailName);
        _dequeueOrWait = DequeueOrWait;
        _peekOrWait = PeekOrWait;
        _tryDequeue = TryDequeueCore;
        _tryPeek = TryPeekCore;
        _count = CountCore;
        _toArray = ToArrayCore;
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

        // With an active producer the item usually arrives within the spin, and parking and waking a
        // thread in Retry costs far more (the strategy of SemaphoreSlim and BlockingCollection).
        SpinWait spinner = default;
        while (!spinner.NextSpinWillYield)
        {
            var (found, item) = Atomic.Run(_tryDequeue);
            if (found)
            {
                return item;
            }

            spinner.SpinOnce();
        }

        return Atomic.Run(_dequeueOrWait);
    }

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
            Atomic.Retry();
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

    /// <summary>The body of a dequeue run as its own transaction: waits without an exception.</summary>
    private T DequeueOrWait() => TopLevelWait.ItemOrWait(TryDequeueCore());

    /// <summary>The body of a peek run as its own transaction: waits without an exception.</summary>
    private T PeekOrWait() => TopLevelWait.ItemOrWait(TryPeekCore());

    private T PeekCore()
    {
        var link = _head.Value.Cell.Value;
        if (link.Next is null)
        {
            Atomic.Retry();
        }

        return link.Item;
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
