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

    /// <summary>A read that never waits: the next unread item, if there is one (also the spin's attempt).</summary>
    private static readonly Func<TChannelReader<T>, (bool Found, T Item)> s_tryRead =
        static reader => CellList.TryTake(reader._position);

    /// <summary>
    /// The body of every read that waits: the next unread item; waits while there is none, and throws
    /// <see cref="ChannelClosedException"/> when the channel is completed and everything was read.
    /// </summary>
    private static readonly Func<TChannelReader<T>, T> s_readOrWait =
        static reader => WaitingBody.ItemOrWait(CellList.TryTake(reader._position), reader._channel.Completed, "TChannelReader<T>", "Read");

    /// <summary>
    /// The body of one step of the consuming enumerations: the next unread item, or no item when the
    /// channel is completed and everything was read (the end); waits otherwise.
    /// </summary>
    private static readonly Func<TChannelReader<T>, (bool Found, T Item)> s_readOrEnd =
        static reader => WaitingBody.ItemOrEnd(CellList.TryTake(reader._position), reader._channel.Completed);

    /// <summary>Creates a reader at <paramref name="position"/>.</summary>
    /// <param name="channel">The channel read.</param>
    /// <param name="position">The cursor of the first item to read.</param>
    internal TChannelReader(TChannel<T> channel, QueueCursor<T> position)
    {
        _channel = channel;
        _position = new TVar<QueueCursor<T>>(position, "TChannelReader.Position");
    }

    /// <summary>
    /// Gets the number of items written to the channel that this reader has not read yet: exact inside
    /// a transaction (it reads the channel's write end, so it conflicts with writers); outside one, a
    /// committed snapshot. Never blocks.
    /// </summary>
    public int Count => checked((int)Transactional.Run(this, static reader => reader._channel.ReadTail().Index - reader._position.Value.Index));

    /// <summary>
    /// Gets whether this reader has read every item written so far. Callable inside or outside a
    /// transaction; never blocks.
    /// </summary>
    public bool IsEmpty => Transactional.Run(_position, static position => CellList.IsEmpty(position));

    /// <summary>Shows the unread count in the debugger without starting a transaction.</summary>
    private string DebuggerUnread
    {
        get => DebuggerRead.Text(this, static reader =>
        {
            long position = reader._position.Value.Index;
            return (reader._channel.ReadTail().Index - position).ToString(CultureInfo.InvariantCulture);
        });
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
    public T Read() => Transactional.Run(this, s_readOrWait);

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
        WaitOptions.ThrowIfInTransaction("TChannelReader<T>", "Read(CancellationToken)", "Read()");
        return Transactional.Run(this, s_readOrWait, cancellationToken);
    }

    /// <summary>
    /// Returns the next unread item and moves past it, if there is one. Callable inside or outside a
    /// transaction; never blocks (never retries).
    /// </summary>
    /// <param name="item">The next item, or <c>default</c> when there is nothing new.</param>
    /// <returns><see langword="true"/> if an item was read.</returns>
    public bool TryRead([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Transactional.Run(this, s_tryRead);
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
        WaitOptions.ThrowIfInvalidTimeout(timeout);
        WaitOptions.ThrowIfInTransaction("TChannelReader<T>", "TryRead(TimeSpan, out T)", "TryRead(out T)");
        if (Transactional.TryRun(this, s_readOrEnd, timeout, out var outcome) && outcome.Found)
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
    public T Peek() => Transactional.Run(this, static reader =>
        WaitingBody.ItemOrWait(CellList.TryPeek(reader._position), reader._channel.Completed, "TChannelReader<T>", "Peek"));

    /// <summary>
    /// Returns the next unread item without moving past it, if there is one. Callable inside or
    /// outside a transaction; never blocks.
    /// </summary>
    /// <param name="item">The next item, or <c>default</c> when there is nothing new.</param>
    /// <returns><see langword="true"/> if there was an unread item.</returns>
    public bool TryPeek([MaybeNullWhen(false)] out T item)
    {
        (bool found, item) = Transactional.Run(_position, static position => CellList.TryPeek(position));
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
        WaitOptions.ThrowIfAsyncInTransaction("TChannelReader<T>.ReadAsync", "TChannelReader<T>.Read");
        return Transactional.RunAsync(this, s_readOrWait, cancellationToken);
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
        ConsumingEnumeration.Consume(this, s_tryRead, s_readOrEnd, "TChannelReader<T>.GetConsumingEnumerable", cancellationToken);

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
        ConsumingEnumeration.ConsumeAsync(this, s_readOrEnd, "TChannelReader<T>.ReadAllAsync", cancellationToken);

    /// <summary>For the debugger: the unread items, read without starting a transaction.</summary>
    /// <returns>At most a thousand items.</returns>
    internal T[] DebuggerItems() => CellList.DebuggerItems(_position.Value.Cell, CollectionDebugView<T>.MaxItems);
}
