using System.Diagnostics;
using System.Globalization;

namespace Stm.Collections;

/// <summary>
/// A transactional broadcast channel: every item written is seen by every reader that subscribed
/// before it was written (GHC's <c>TChan</c> with <c>newBroadcastTChan</c>). Each member works inside a
/// transaction, where it composes with everything else the transaction does, and outside one, where
/// it is its own atomic transaction.
/// </summary>
/// <typeparam name="T">The type of the items. Items should be immutable: every reader gets the same reference.</typeparam>
/// <remarks>
/// The channel is a linked list of TVar cells. The channel itself holds only the empty cell at the
/// end of the list (where the next item goes); each <see cref="TChannelReader{T}"/> holds its own
/// position in the list. Items are therefore kept alive only by readers that have not read them yet:
/// a channel with no readers keeps nothing, and a reader that is dropped stops holding items.
/// Writers and readers conflict only when a reader has caught up with the writers (it waits on the
/// empty cell that the next write fills).
/// <see cref="Complete"/> says that nothing more will be written: later writes throw, every reader
/// still reads every item written before it, and a reader that has read them all gets
/// <see cref="System.Threading.Channels.ChannelClosedException"/> from <see cref="TChannelReader{T}.Read()"/>
/// instead of waiting (its consuming enumerations end there). The completion flag is a TVar of its own
/// that only <see cref="Complete"/> writes: writers read it on every write and readers only when they
/// have caught up, so it adds no conflict between them.
/// </remarks>
[DebuggerDisplay("Written = {DebuggerWritten,nq}")]
public sealed class TChannel<T>
{
    // Representation invariant:
    //   _tail.Cell is the hole (holds default, Next == null); _tail.Index is the number of items
    //   ever written. Every reader's cursor r satisfies r.Index <= _tail.Index, and following Next
    //   from r.Cell reaches _tail.Cell after exactly _tail.Index - r.Index cells. Cells written
    //   before every live reader's cursor are unreachable (garbage).
    //   _completed goes from false to true once and never back; from then on _tail does not move.

    /// <summary>The cursor at the hole where the next item goes; written only by writers.</summary>
    private readonly TVar<QueueCursor<T>> _tail;

    /// <summary>Whether the channel was completed (nothing more will be written); written only by Complete.</summary>
    private readonly TVar<bool> _completed;

    /// <summary>Creates a channel with no readers. Callable inside or outside a transaction.</summary>
    public TChannel()
    {
        _tail = new TVar<QueueCursor<T>>(CellList.Empty<T>().Tail, "TChannel.Tail");
        _completed = new TVar<bool>(false, "TChannel.Completed");
    }

    /// <summary>
    /// Gets whether <see cref="Complete"/> has committed; readers may still have items to read.
    /// Callable inside or outside a transaction; never blocks.
    /// </summary>
    public bool IsCompleted => _completed.Value;

    /// <summary>Shows the number of items written in the debugger without starting a transaction.</summary>
    private string DebuggerWritten =>
        DebuggerRead.Text(this, static channel => channel._tail.Value.Index.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Writes <paramref name="item"/> for every current reader. Callable inside or outside a
    /// transaction; never blocks. With no readers the item is dropped at once.
    /// </summary>
    /// <param name="item">The item to write.</param>
    /// <exception cref="InvalidOperationException">The channel was completed (<see cref="Complete"/>); nothing is written.</exception>
    public void Write(T item) =>
        Transactional.Run((Channel: this, Item: item), static args => args.Channel.WriteCore(args.Item));

    /// <summary>
    /// Says that nothing more will be written: later writes throw <see cref="InvalidOperationException"/>,
    /// every reader still reads the items written before, and a reader that has read them all gets
    /// <see cref="System.Threading.Channels.ChannelClosedException"/> from <see cref="TChannelReader{T}.Read()"/>,
    /// <see langword="false"/> from <see cref="TChannelReader{T}.TryRead(out T)"/>, and the end of its
    /// consuming enumerations. Every reader waiting for an item is woken. Idempotent. Callable inside
    /// or outside a transaction; inside one it takes effect when the transaction commits (and not at
    /// all if it rolls back), together with the transaction's other writes. Never blocks.
    /// </summary>
    public void Complete() => Transactional.Run(this, static channel => CellList.Complete(channel._completed));

    /// <summary>
    /// Creates a reader that will see every item written after this call (in the transaction's
    /// order: inside a transaction, every item written by transactions that commit after it, and the
    /// items this transaction writes after subscribing). Callable inside or outside a transaction;
    /// never blocks.
    /// </summary>
    /// <returns>A new reader positioned at the end of the channel.</returns>
    public TChannelReader<T> Subscribe() => new(this, _tail.Value);

    /// <summary>Reads the write end (inside a transaction): for readers' counts.</summary>
    /// <returns>The cursor at the hole.</returns>
    internal QueueCursor<T> ReadTail() => _tail.Value;

    /// <summary>
    /// The completion flag, for readers that have caught up: they read it before waiting, so that the
    /// commit of <see cref="Complete"/> wakes them.
    /// </summary>
    internal TVar<bool> Completed => _completed;

    private void WriteCore(T item)
    {
        CellList.ThrowIfCompleted(_completed, "TChannel<T>");
        _tail.Value = CellList.Append(_tail.Value, item);
    }
}
