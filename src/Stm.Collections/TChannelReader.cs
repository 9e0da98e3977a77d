using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading.Channels;

namespace Stm.Collections;

/// <summary>
/// A reader of a <see cref="TChannel{T}"/>: it sees, in order, every item written to the channel
/// after it subscribed, independently of other readers. Each member works inside a transaction,
/// where it composes with everything else the transaction does, and outside one, where it is its own
/// atomic transaction. Create readers with <see cref="TChannel{T}.Subscribe"/> or <see cref="Clone"/>.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <remarks>
/// <see cref="Read()"/> and <see cref="Peek"/> wait for an item by calling <see cref="Atomic.Retry"/>, so
/// they compose with <see cref="Atomic.OrElse(Action, Action)"/> and honour the cancellation token of
/// <see cref="Atomic.Run(Action, CancellationToken)"/> and the timeout of
/// <see cref="Atomic.TryRun(Action, TimeSpan)"/>; outside a transaction, <see cref="Read(CancellationToken)"/>
/// and <see cref="TryRead(TimeSpan, out T)"/> wait with a token or a timeout of their own. Once the
/// channel is completed (<see cref="TChannel{T}.Complete"/>) and this reader has read every item written
/// before, the waiting members throw <see cref="ChannelClosedException"/> and the consuming enumerations
/// <see cref="GetConsumingEnumerable"/> and <see cref="ReadAllAsync"/> end. A reader that is no longer
/// used can simply be dropped: it is what keeps its unread items alive.
/// </remarks>
[DebuggerDisplay("Unread = {DebuggerUnread,nq}")]
[DebuggerTypeProxy(typeof(CollectionDebugView<>))]
public sealed class TChannelReader<T>
{
    // Representation invariant: _position.Cell is the cell of the next unread item (the channel's
    // hole when the reader has caught up); _position.Index <= the channel's tail index, and the
    // number of unread items is their difference. Only this reader writes _position.

    /// <summary>The channel, for <see cref="Count"/> (it holds no items, so this keeps nothing alive).</summary>
    private readonly TChannel<T> _channel;

    /// <summary>The cursor at the next unread item.</summary>
    private readonly TVar<QueueCursor<T>> _position;

    /// <summary>
    /// Cached delegates for running the core operations as their own transactions. The waiting read
    /// waits through <see cref="Atomic.RequestRetry"/>, which spares a blocked reader an exception.
    /// </summary>
    private readonly Func<T> _readOrWait;
    private readonly Func<T> _peek;
    private readonly Func<(bool Found, T Item)> _readOrEnd;
    private readonly Func<(bool Found, T Item)> _tryRead;
    private readonly Func<(bool Found, T Item)> _tryPeek;

    /// <summary>Creates a reader at <paramref name="position"/>.</summary>
    /// <param name="channel">The channel read.</param>
    /// <param name="position">The cursor of the first item to read.</param>
    internal TChannelReader(TChannel<T> channel, QueueCursor<T> position)
    {
        _channel = channel;
        _position = new TVar<QueueCursor<T>>(position, "TChannelReader.Position");
        _readOrWait = ReadOrWait;
        _peek = PeekOrWait;
        _readOrEnd = ReadOrEnd;
        _tryRead = TryReadCore;
        _tryPeek = TryPeekCore;
    }

    /// <summary>
    /// Gets the number of items written to the channel that this reader has not read yet: exact inside
    /// a transaction (it reads the channel's write end, so it conflicts with writers); outside one, a
    /// committed snapshot. Never blocks.
    /// </summary>
    public int Count => checked((int)(Atomic.InTransaction ? CountCore() : Atomic.Run(CountCore)));

    /// <summary>
    /// Gets whether this reader has read every item written so far. Callable inside or outside a
    /// transaction; never blocks.
    /// </summary>
    public bool IsEmpty => Atomic.InTransaction ? IsEmptyCore() : Atomic.Run(IsEmptyCore);

    /// <summary>Shows the unread count in the debugger without starting a transaction.</summary>
    private string DebuggerUnread
    {
        get
        {
            if (Atomic.InTransaction)
            {
                return "(not evaluated inside a transaction)";
            }

            long position = _position.Value.Index;
            return (_channel.ReadTail().Index - position).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Returns the next unread item and moves past it. Callable inside or outside a transaction.
    /// Blocks while there is nothing new: inside a transaction it calls <see cref="Atomic.Retry"/>;
    /// outside one it blocks the calling thread until an item is written.
    /// </summary>
    /// <returns>The next item.</returns>
    /// <exception cref="ChannelClosedException">
    /// The channel was completed and this reader has read every item written before, so no item will
    /// ever arrive; a reader waiting for an item gets it as soon as the completion commits.
    /// </exception>
    public T Read() => Atomic.InTransaction ? ReadCore() : Atomic.Run(_readOrWait);

    /// <summary>
    /// Returns the next unread item and moves past it, blocking the calling thread while there is
    /// nothing new until an item is written or <paramref name="cancellationToken"/> is cancelled. Call
    /// it outside a transaction only; inside one, call <see cref="Read()"/> and give the token to
    /// <see cref="Atomic.Run{T}(Func{T}, CancellationToken)"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; the reader does not move then.</param>
    /// <returns>The next item.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before an item was read.</exception>
    /// <exception cref="ChannelClosedException">The channel was completed and this reader has read every item.</exception>
    public T Read(CancellationToken cancellationToken)
    {
        TopLevelWait.ThrowIfInTransaction("TChannelReader<T>", "Read(CancellationToken)", "Read()");
        return Atomic.Run(_readOrWait, cancellationToken);
    }

    /// <summary>
    /// Returns the next unread item and moves past it, if there is one. Callable inside or outside a
    /// transaction; never blocks (never retries).
    /// </summary>
    /// <param name="item">The next item, or <c>default</c> when there is nothing new.</param>
    /// <returns><see langword="true"/> if an item was read.</returns>
    public bool TryRead([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Atomic.InTransaction ? TryReadCore() : Atomic.Run(_tryRead);
        return found;
    }

    /// <summary>
    /// Returns the next unread item and moves past it, blocking the calling thread at most
    /// <paramref name="timeout"/> while there is nothing new. Returns <see langword="false"/> at once
    /// when the channel is completed and this reader has read every item. Call it outside a transaction
    /// only; inside one, call <see cref="TryRead(out T)"/> or <see cref="Read()"/> and give the timeout to
    /// <see cref="Atomic.TryRun{T}(Func{T}, TimeSpan, out T)"/>.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="item">The next item, or <c>default</c> when none was read.</param>
    /// <returns><see langword="true"/> if an item was read; <see langword="false"/> (the reader does not move) on timeout or completion.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    public bool TryRead(TimeSpan timeout, [MaybeNullWhen(false)] out T item)
    {
        TopLevelWait.ThrowIfInvalidTimeout(timeout);
        TopLevelWait.ThrowIfInTransaction("TChannelReader<T>", "TryRead(TimeSpan, out T)", "TryRead(out T)");
        if (Atomic.TryRun(_readOrEnd, timeout, out var outcome) && outcome.Found)
        {
            item = outcome.Item;
            return true;
        }

        item = default;
        return false;
    }

    /// <summary>
    /// Returns the next unread item without moving past it. Callable inside or outside a transaction.
    /// Blocks while there is nothing new (<see cref="Atomic.Retry"/> inside a transaction, the calling
    /// thread outside one).
    /// </summary>
    /// <returns>The next item.</returns>
    /// <exception cref="ChannelClosedException">The channel was completed and this reader has read every item.</exception>
    public T Peek() => Atomic.InTransaction ? PeekCore() : Atomic.Run(_peek);

    /// <summary>
    /// Returns the next unread item without moving past it, if there is one. Callable inside or
    /// outside a transaction; never blocks.
    /// </summary>
    /// <param name="item">The next item, or <c>default</c> when there is nothing new.</param>
    /// <returns><see langword="true"/> if there was an unread item.</returns>
    public bool TryPeek([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Atomic.InTransaction ? TryPeekCore() : Atomic.Run(_tryPeek);
        return found;
    }

    /// <summary>
    /// Creates a new reader at this reader's position: it will read the same unread items, and
    /// everything written later, independently of this one (GHC's <c>cloneTChan</c>). Callable inside
    /// or outside a transaction; never blocks.
    /// </summary>
    /// <returns>The new reader.</returns>
    public TChannelReader<T> Clone() => new(_channel, _position.Value);

    /// <summary>
    /// Returns the next unread item and moves past it, waiting without blocking a thread while there
    /// is nothing new (<see cref="Atomic.RunAsync{T}(Func{T}, CancellationToken)"/>). Call it outside a
    /// transaction only; inside one, call <see cref="Read()"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; the reader does not move then.</param>
    /// <returns>The next item.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before an item was read.</exception>
    /// <exception cref="ChannelClosedException">The channel was completed and this reader has read every item (the task faults with it).</exception>
    public ValueTask<T> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (Atomic.InTransaction)
        {
            ThrowHelper.ThrowAsyncInsideTransaction("TChannelReader<T>.ReadAsync", "TChannelReader<T>.Read");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        return Atomic.RunAsync(_readOrWait, cancellationToken);
    }

    /// <summary>
    /// Returns an enumeration that reads the items as they are written, one per transaction, blocking
    /// the enumerating thread while there is nothing new, and ends when the channel is completed
    /// (<see cref="TChannel{T}.Complete"/>) and this reader has read every item. Enumerate it outside a
    /// transaction; advancing it inside one throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="cancellationToken">
    /// Stops the enumeration: a step started after cancellation, or waiting when it happens, throws
    /// <see cref="OperationCanceledException"/> without moving the reader.
    /// </param>
    /// <returns>The consuming enumeration.</returns>
    public IEnumerable<T> GetConsumingEnumerable(CancellationToken cancellationToken = default) =>
        ConsumingEnumeration.Consume(_tryRead, _readOrEnd, "TChannelReader<T>.GetConsumingEnumerable", cancellationToken);

    /// <summary>
    /// Returns an asynchronous enumeration that reads the items as they are written, one per
    /// transaction, waiting without blocking a thread while there is nothing new, and ends when the
    /// channel is completed (<see cref="TChannel{T}.Complete"/>) and this reader has read every item.
    /// Enumerate it outside a transaction; advancing it inside one throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="cancellationToken">
    /// Stops the enumeration (together with a token given to <c>WithCancellation</c>): a step started
    /// after cancellation, or waiting when it happens, throws <see cref="OperationCanceledException"/>
    /// without moving the reader.
    /// </param>
    /// <returns>The asynchronous consuming enumeration.</returns>
    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) =>
        ConsumingEnumeration.ConsumeAsync(_readOrEnd, "TChannelReader<T>.ReadAllAsync", cancellationToken);

    /// <summary>For the debugger: the unread items, read without starting a transaction.</summary>
    /// <returns>At most a thousand items.</returns>
    internal T[] DebuggerItems() =>
        Atomic.InTransaction ? [] : CellList.DebuggerItems(_position.Value.Cell, CollectionDebugView<T>.MaxItems);

    /// <summary>
    /// The body of a read run as its own transaction: waits for an item without an exception; throws
    /// <see cref="ChannelClosedException"/> when the channel is completed and nothing is left.
    /// </summary>
    private T ReadOrWait() => TopLevelWait.ItemOrWait(TryReadCore(), _channel.Completed, "TChannelReader<T>", "Read");

    /// <summary>The body of a peek run as its own transaction: <see cref="ReadOrWait"/> without moving.</summary>
    private T PeekOrWait() => TopLevelWait.ItemOrWait(TryPeekCore(), _channel.Completed, "TChannelReader<T>", "Peek");

    /// <summary>
    /// The body of one step of the consuming enumerations: the next item, or none when the channel is
    /// completed and nothing is left (the end); waits without an exception otherwise.
    /// </summary>
    private (bool Found, T Item) ReadOrEnd() => TopLevelWait.ItemOrEnd(TryReadCore(), _channel.Completed);

    private T ReadCore()
    {
        var position = _position.Value;
        var link = position.Cell.Value;
        if (link.Next is null)
        {
            RetryUnlessCompletedCore("Read");
        }

        _position.Value = new QueueCursor<T>(link.Next!, position.Index + 1);
        return link.Item;
    }

    private (bool Found, T Item) TryReadCore()
    {
        var position = _position.Value;
        var link = position.Cell.Value;
        if (link.Next is null)
        {
            return (false, default!);
        }

        _position.Value = new QueueCursor<T>(link.Next, position.Index + 1);
        return (true, link.Item);
    }

    private T PeekCore()
    {
        var link = _position.Value.Cell.Value;
        if (link.Next is null)
        {
            RetryUnlessCompletedCore("Peek");
        }

        return link.Item;
    }

    /// <summary>
    /// Inside a caller's transaction, with nothing new: retries, or throws when the channel is
    /// completed. The flag is read before retrying so that the commit of Complete wakes the wait.
    /// </summary>
    /// <param name="member">The waiting member, for the message.</param>
    [DoesNotReturn]
    private void RetryUnlessCompletedCore(string member)
    {
        if (TopLevelWait.IsCompletedBeforeWait(_channel.Completed))
        {
            ThrowHelper.ThrowNoMoreItems("TChannelReader<T>", member);
        }

        Atomic.Retry();
    }

    private (bool Found, T Item) TryPeekCore()
    {
        var link = _position.Value.Cell.Value;
        return link.Next is null ? (false, default!) : (true, link.Item);
    }

    private bool IsEmptyCore() => _position.Value.Cell.Value.Next is null;

    private long CountCore() => _channel.ReadTail().Index - _position.Value.Index;
}
