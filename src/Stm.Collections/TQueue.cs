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
    // Representation invariant (GHC TChan style; every name below is a TVar):
    //
    //   _head.Cell -> c[h] -> c[h+1] -> ... -> c[t-1] -> hole == _tail.Cell
    //
    //   h = _head.Index, t = _tail.Index, 0 <= h <= t.
    //   * c[i] (h <= i < t) holds QueueLink(item i, c[i+1]); the hole holds default (Next == null).
    //   * Following Next from _head.Cell reaches _tail.Cell after exactly t - h cells, so
    //     Count == t - h (exact, with no counter shared by producers and consumers).
    //   * Enqueue writes the hole and _tail; Dequeue writes _head and reads c[h]. They meet in a TVar
    //     only when h == t (the queue is empty): that is where a consumer must wait for a producer.
    //   * Cells before _head are unreachable from the queue: dequeued items are garbage at once.

    /// <summary>The cursor at the first item (the hole when empty); written only by consumers.</summary>
    private readonly TVar<QueueCursor<T>> _head;

    /// <summary>The cursor at the hole after the last item; written only by producers.</summary>
    private readonly TVar<QueueCursor<T>> _tail;

    /// <summary>Cached delegates for running the core operations as their own transactions.</summary>
    private readonly Func<T> _dequeue;
    private readonly Func<T> _peek;
    private readonly Func<(bool Found, T Item)> _tryDequeue;
    private readonly Func<(bool Found, T Item)> _tryPeek;
    private readonly Func<long> _count;
    private readonly Func<T[]> _toArray;

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
        _head = new TVar<QueueCursor<T>>(list.Head, "TQueue.Head");
        _tail = new TVar<QueueCursor<T>>(list.Tail, "TQueue.Tail");
        _dequeue = DequeueCore;
        _peek = PeekCore;
        _tryDequeue = TryDequeueCore;
        _tryPeek = TryPeekCore;
        _count = CountCore;
        _toArray = ToArrayCore;
    }

    /// <summary>
    /// Gets the number of items in the queue: exact inside a transaction (it reads both ends, so it
    /// conflicts with concurrent producers and consumers); outside one, a committed snapshot. Never blocks.
    /// </summary>
    public int Count => checked((int)(Atomic.InTransaction ? CountCore() : Atomic.Run(_count)));

    /// <summary>
    /// Gets whether the queue is empty. Callable inside or outside a transaction; never blocks. Reads
    /// only the consumer end, so inside a transaction it conflicts only with consumers and with the
    /// producer that fills an empty queue.
    /// </summary>
    public bool IsEmpty => Atomic.InTransaction ? IsEmptyCore() : Atomic.Run(IsEmptyCore);

    /// <summary>Shows the count in the debugger without starting a transaction.</summary>
    private string DebuggerCount
    {
        get
        {
            if (Atomic.InTransaction)
            {
                return "(not evaluated inside a transaction)";
            }

            // Two single non-transactional reads, head first: the tail read later is at least as far.
            long head = _head.Value.Index;
            return (_tail.Value.Index - head).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

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
            Atomic.Run(() => EnqueueCore(item));
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
    public T Dequeue()
    {
        if (Atomic.InTransaction)
        {
            return DequeueCore();
        }

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

        return Atomic.Run(_dequeue);
    }

    /// <summary>
    /// Removes the item at the front of the queue if there is one. Callable inside or outside a
    /// transaction; never blocks (never retries).
    /// </summary>
    /// <param name="item">The item that was at the front, or <c>default</c> when the queue was empty.</param>
    /// <returns><see langword="true"/> if an item was removed.</returns>
    public bool TryDequeue([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Atomic.InTransaction ? TryDequeueCore() : Atomic.Run(_tryDequeue);
        return found;
    }

    /// <summary>
    /// Returns the item at the front of the queue without removing it. Callable inside or outside a
    /// transaction. Blocks while the queue is empty (<see cref="Atomic.Retry"/> inside a transaction,
    /// the calling thread outside one), like <see cref="Dequeue"/>.
    /// </summary>
    /// <returns>The item at the front.</returns>
    public T Peek() => Atomic.InTransaction ? PeekCore() : Atomic.Run(_peek);

    /// <summary>
    /// Returns the item at the front of the queue without removing it, if there is one. Callable
    /// inside or outside a transaction; never blocks.
    /// </summary>
    /// <param name="item">The item at the front, or <c>default</c> when the queue is empty.</param>
    /// <returns><see langword="true"/> if the queue had an item.</returns>
    public bool TryPeek([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Atomic.InTransaction ? TryPeekCore() : Atomic.Run(_tryPeek);
        return found;
    }

    /// <summary>
    /// Removes every item. Callable inside or outside a transaction; never blocks. Touches a constant
    /// number of TVars whatever the count (the removed cells become garbage).
    /// </summary>
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

    /// <summary>
    /// Copies the items, front first, into a new array: a consistent snapshot (inside a transaction,
    /// of the transaction's view; outside one, of one committed state, even while writers run).
    /// Callable inside or outside a transaction; never blocks.
    /// </summary>
    /// <returns>The items, front first.</returns>
    public T[] ToArray() => Atomic.InTransaction ? ToArrayCore() : Atomic.Run(_toArray);

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

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        return Atomic.RunAsync(_dequeue, cancellationToken);
    }

    /// <summary>For the debugger: the items, read without starting a transaction.</summary>
    /// <returns>At most a thousand items from the front.</returns>
    internal T[] DebuggerItems() =>
        Atomic.InTransaction ? [] : CellList.DebuggerItems(_head.Value.Cell, CollectionDebugView<T>.MaxItems);

    private void EnqueueCore(T item) => _tail.Value = CellList.Append(_tail.Value, item);

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

    private (bool Found, T Item) TryPeekCore()
    {
        var link = _head.Value.Cell.Value;
        return link.Next is null ? (false, default!) : (true, link.Item);
    }

    private T PeekCore()
    {
        var link = _head.Value.Cell.Value;
        if (link.Next is null)
        {
            Atomic.Retry();
        }

        return link.Item;
    }

    private bool IsEmptyCore() => _head.Value.Cell.Value.Next is null;

    private long CountCore()
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
            _head.Value = tail;
        }
    }

    private T[] ToArrayCore()
    {
        var head = _head.Value;
        return CellList.ToArray(head, _tail.Value.Index - head.Index);
    }
}
