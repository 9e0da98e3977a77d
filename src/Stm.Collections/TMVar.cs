using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Stm.Collections;

/// <summary>
/// A transactional box that is either full (holds one value) or empty (GHC's <c>TMVar</c>): a
/// one-place buffer, a hand-off point between threads, or a lock that carries a value. Each member
/// works inside a transaction, where it composes with everything else the transaction does, and
/// outside one, where it is its own atomic transaction.
/// </summary>
/// <typeparam name="T">The type of the value. It should be immutable: the box copies references.</typeparam>
/// <remarks>
/// <see cref="Take()"/>, <see cref="Read"/> and <see cref="Swap"/> (while empty) and <see cref="Put(T)"/>
/// (while full) wait by calling <see cref="Atomic.Retry"/>, so they compose with
/// <see cref="Atomic.OrElse(Action, Action)"/> and honour the cancellation token of
/// <see cref="Atomic.Run(Action, CancellationToken)"/> and the timeout of
/// <see cref="Atomic.TryRun(Action, TimeSpan)"/>. The <c>Try</c> members never retry. Outside a
/// transaction, <see cref="Take(CancellationToken)"/>, <see cref="TryTake(TimeSpan, out T)"/>,
/// <see cref="Put(T, CancellationToken)"/> and <see cref="TryPut(T, TimeSpan)"/> wait with a token or a
/// timeout of their own.
/// </remarks>
[DebuggerDisplay("{DebuggerState,nq}")]
public sealed class TMVar<T>
{
    // Representation invariant: _contents.Full says whether the box holds a value; when it is
    // false, _contents.Value is default (so an emptied box keeps no reference to its old value).

    /// <summary>The contents: whether the box is full, and the value when it is.</summary>
    private readonly TVar<(bool Full, T Value)> _contents;

    /// <summary>The body of every take that waits: the value, emptying the box; waits while it is empty.</summary>
    private static readonly Func<TMVar<T>, T> s_takeOrWait = static mvar => WaitingBody.ItemOrWait(mvar.TryTakeCore());

    /// <summary>The body of every read that waits: the value, leaving the box full; waits while it is empty.</summary>
    private static readonly Func<TMVar<T>, T> s_readOrWait = static mvar => WaitingBody.ItemOrWait(mvar._contents.Value);

    /// <summary>The body of every put that waits: fills the box; waits while it is full.</summary>
    private static readonly Action<(TMVar<T> MVar, T Value)> s_putOrWait =
        static args => WaitingBody.UnlessDone(args.MVar.TryPutCore(args.Value));

    /// <summary>Creates an empty box. Callable inside or outside a transaction.</summary>
    public TMVar()
        : this((false, default!))
    {
    }

    /// <summary>Creates a full box that holds <paramref name="value"/>. Callable inside or outside a transaction.</summary>
    /// <param name="value">The value the box holds.</param>
    public TMVar(T value)
        : this((true, value))
    {
    }

    private TMVar((bool Full, T Value) contents)
    {
        _contents = new TVar<(bool Full, T Value)>(contents, "TMVar");
    }

    /// <summary>Gets whether the box is empty. Callable inside or outside a transaction; never blocks.</summary>
    public bool IsEmpty => !_contents.Value.Full;

    /// <summary>Shows the state in the debugger without starting a transaction.</summary>
    private string DebuggerState
    {
        get => DebuggerRead.Text(this, static mvar =>
        {
            var (full, value) = mvar._contents.Value;
            return full ? $"Full: {value}" : "Empty";
        });
    }

    /// <summary>
    /// Takes the value, leaving the box empty. Callable inside or outside a transaction. Blocks while
    /// the box is empty: inside a transaction it calls <see cref="Atomic.Retry"/>; outside one it
    /// blocks the calling thread until a value is put.
    /// </summary>
    /// <returns>The value the box held.</returns>
    public T Take() => Transactional.Run(this, s_takeOrWait);

    /// <summary>
    /// Takes the value, leaving the box empty, blocking the calling thread while the box is empty
    /// until a value is put or <paramref name="cancellationToken"/> is cancelled. Call it outside a
    /// transaction only; inside one, call <see cref="Take()"/> and give the token to
    /// <see cref="Atomic.Run{T}(Func{T}, CancellationToken)"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is taken then.</param>
    /// <returns>The value the box held.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before a value was taken.</exception>
    public T Take(CancellationToken cancellationToken)
    {
        WaitOptions.ThrowIfInTransaction("TMVar<T>", "Take(CancellationToken)", "Take()");
        return Transactional.Run(this, s_takeOrWait, cancellationToken);
    }

    /// <summary>
    /// Takes the value if the box is full, leaving it empty. Callable inside or outside a transaction;
    /// never blocks (never retries).
    /// </summary>
    /// <param name="value">The value the box held, or <c>default</c> when it was empty.</param>
    /// <returns><see langword="true"/> if a value was taken.</returns>
    public bool TryTake([MaybeNullWhen(false)] out T value)
    {
        (bool full, value) = Transactional.Run(this, static mvar => mvar.TryTakeCore());
        return full;
    }

    /// <summary>
    /// Takes the value, leaving the box empty, blocking the calling thread at most
    /// <paramref name="timeout"/> while the box is empty. Call it outside a transaction only; inside
    /// one, call <see cref="TryTake(out T)"/> or <see cref="Take()"/> and give the timeout to
    /// <see cref="Atomic.TryRun{T}(Func{T}, TimeSpan, out T)"/>.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="value">The value the box held, or <c>default</c> when none was taken.</param>
    /// <returns><see langword="true"/> if a value was taken; <see langword="false"/> (nothing taken) if the box stayed empty.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    public bool TryTake(TimeSpan timeout, [MaybeNullWhen(false)] out T value)
    {
        WaitOptions.ThrowIfInvalidTimeout(timeout);
        WaitOptions.ThrowIfInTransaction("TMVar<T>", "TryTake(TimeSpan, out T)", "TryTake(out T)");
        return Transactional.TryRun(this, s_takeOrWait, timeout, out value);
    }

    /// <summary>
    /// Puts <paramref name="value"/> into the box. Callable inside or outside a transaction. Blocks
    /// while the box is full: inside a transaction it calls <see cref="Atomic.Retry"/>; outside one it
    /// blocks the calling thread until the box is emptied.
    /// </summary>
    /// <param name="value">The value to put.</param>
    public void Put(T value) => Transactional.Run((MVar: this, Value: value), s_putOrWait);

    /// <summary>
    /// Puts <paramref name="value"/> into the box, blocking the calling thread while the box is full
    /// until it is emptied or <paramref name="cancellationToken"/> is cancelled. Call it outside a
    /// transaction only; inside one, call <see cref="Put(T)"/> and give the token to
    /// <see cref="Atomic.Run(Action, CancellationToken)"/>.
    /// </summary>
    /// <param name="value">The value to put.</param>
    /// <param name="cancellationToken">Cancels the wait; nothing is put then.</param>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the value was put.</exception>
    public void Put(T value, CancellationToken cancellationToken)
    {
        WaitOptions.ThrowIfInTransaction("TMVar<T>", "Put(T, CancellationToken)", "Put(T)");
        Transactional.Run((MVar: this, Value: value), s_putOrWait, cancellationToken);
    }

    /// <summary>
    /// Puts <paramref name="value"/> into the box if it is empty. Callable inside or outside a
    /// transaction; never blocks (never retries).
    /// </summary>
    /// <param name="value">The value to put.</param>
    /// <returns><see langword="true"/> if the value was put; <see langword="false"/> if the box was full.</returns>
    public bool TryPut(T value) => Transactional.Run((MVar: this, Value: value), static args => args.MVar.TryPutCore(args.Value));

    /// <summary>
    /// Puts <paramref name="value"/> into the box, blocking the calling thread at most
    /// <paramref name="timeout"/> while the box is full. Call it outside a transaction only; inside
    /// one, call <see cref="TryPut(T)"/> or <see cref="Put(T)"/> and give the timeout to
    /// <see cref="Atomic.TryRun(Action, TimeSpan)"/>.
    /// </summary>
    /// <param name="value">The value to put.</param>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns><see langword="true"/> if the value was put; <see langword="false"/> (nothing put) if the box stayed full.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    public bool TryPut(T value, TimeSpan timeout)
    {
        WaitOptions.ThrowIfInvalidTimeout(timeout);
        WaitOptions.ThrowIfInTransaction("TMVar<T>", "TryPut(T, TimeSpan)", "TryPut(T)");
        return timeout == TimeSpan.Zero
            ? TryPut(value)
            : Transactional.TryRun((MVar: this, Value: value), s_putOrWait, timeout);
    }

    /// <summary>
    /// Returns the value, leaving the box full. Callable inside or outside a transaction. Blocks while
    /// the box is empty (<see cref="Atomic.Retry"/> inside a transaction, the calling thread outside one).
    /// </summary>
    /// <returns>The value the box holds.</returns>
    public T Read() => Transactional.Run(this, s_readOrWait);

    /// <summary>
    /// Returns the value if the box is full, leaving it full. Callable inside or outside a
    /// transaction; never blocks.
    /// </summary>
    /// <param name="value">The value the box holds, or <c>default</c> when it is empty.</param>
    /// <returns><see langword="true"/> if the box was full.</returns>
    public bool TryRead([MaybeNullWhen(false)] out T value)
    {
        // One read of one TVar: atomic outside a transaction without starting one.
        (bool full, value) = _contents.Value;
        return full;
    }

    /// <summary>
    /// Replaces the value and returns the old one; the box stays full. Callable inside or outside a
    /// transaction. Blocks while the box is empty (<see cref="Atomic.Retry"/> inside a transaction,
    /// the calling thread outside one).
    /// </summary>
    /// <param name="value">The new value.</param>
    /// <returns>The value the box held.</returns>
    public T Swap(T value) => Transactional.Run((MVar: this, Value: value), static args => args.MVar.SwapOrWait(args.Value));

    /// <summary>
    /// Takes the value, leaving the box empty, waiting without blocking a thread while the box is
    /// empty (<see cref="Atomic.RunAsync{T}(Func{T}, CancellationToken)"/>). Call it outside a
    /// transaction only; inside one, call <see cref="Take()"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; nothing is taken then.</param>
    /// <returns>The value the box held.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before a value was taken.</exception>
    public ValueTask<T> TakeAsync(CancellationToken cancellationToken = default)
    {
        WaitOptions.ThrowIfAsyncInTransaction("TMVar<T>.TakeAsync", "TMVar<T>.Take");
        return Transactional.RunAsync(this, s_takeOrWait, cancellationToken);
    }

    /// <summary>
    /// Puts <paramref name="value"/> into the box, waiting without blocking a thread while the box is
    /// full (<see cref="Atomic.RunAsync(Action, CancellationToken)"/>). Call it outside a transaction
    /// only; inside one, call <see cref="Put(T)"/>.
    /// </summary>
    /// <param name="value">The value to put.</param>
    /// <param name="cancellationToken">Cancels the wait; nothing is put then.</param>
    /// <returns>A task that completes when the value has been put.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the value was put.</exception>
    public ValueTask PutAsync(T value, CancellationToken cancellationToken = default)
    {
        WaitOptions.ThrowIfAsyncInTransaction("TMVar<T>.PutAsync", "TMVar<T>.Put");
        return Transactional.RunAsync((MVar: this, Value: value), s_putOrWait, cancellationToken);
    }

    /// <summary>
    /// Returns the value, leaving the box full, waiting without blocking a thread while the box is
    /// empty (<see cref="Atomic.RunAsync{T}(Func{T}, CancellationToken)"/>). Call it outside a
    /// transaction only; inside one, call <see cref="Read"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The value the box holds.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the box was full.</exception>
    public ValueTask<T> ReadAsync(CancellationToken cancellationToken = default)
    {
        WaitOptions.ThrowIfAsyncInTransaction("TMVar<T>.ReadAsync", "TMVar<T>.Read");
        return Transactional.RunAsync(this, s_readOrWait, cancellationToken);
    }

    private (bool Full, T Value) TryTakeCore()
    {
        var contents = _contents.Value;
        if (contents.Full)
        {
            _contents.Value = (false, default!);
        }

        return contents;
    }

    private bool TryPutCore(T value)
    {
        if (_contents.Value.Full)
        {
            return false;
        }

        _contents.Value = (true, value);
        return true;
    }

    /// <summary>Replaces the value of a full box and returns the old one; on an empty box, writes nothing and waits.</summary>
    private T SwapOrWait(T value)
    {
        var contents = _contents.Value;
        if (contents.Full)
        {
            _contents.Value = (true, value);
        }

        return WaitingBody.ItemOrWait(contents);
    }
}
