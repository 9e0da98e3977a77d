using System.Diagnostics;

namespace Stm.Collections;

/// <summary>
/// A transactional counting semaphore (GHC's <c>TSem</c>). Each member works inside a transaction,
/// where it composes with everything else the transaction does (a transaction can take a permit and
/// an item from a queue atomically), and outside one, where it is its own atomic transaction.
/// </summary>
/// <remarks>
/// <see cref="Wait()"/> waits for a permit by calling <see cref="Atomic.Retry"/>, so it composes with
/// <see cref="Atomic.OrElse(Action, Action)"/> and honours the cancellation token of
/// <see cref="Atomic.Run(Action, CancellationToken)"/> and the timeout of
/// <see cref="Atomic.TryRun(Action, TimeSpan)"/>; that is how to wait with a timeout or a token inside
/// a transaction. Outside one, <see cref="Wait(CancellationToken)"/> and <see cref="Wait(TimeSpan)"/>
/// take them directly.
/// </remarks>
[DebuggerDisplay("CurrentCount = {DebuggerCount,nq}")]
public sealed class TSemaphore
{
    // Representation invariant: 0 <= _count <= Int32.MaxValue is the number of permits available.

    /// <summary>The number of permits available.</summary>
    private readonly TVar<int> _count;

    /// <summary>The body of every wait for a permit: takes one, or waits while there is none.</summary>
    private static readonly Action<TSemaphore> s_acquireOrWait = static semaphore => WaitingBody.UnlessDone(semaphore.TryWaitCore());

    /// <summary>Creates a semaphore. Callable inside or outside a transaction.</summary>
    /// <param name="initialCount">The number of permits available at first, 0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCount"/> is negative.</exception>
    public TSemaphore(int initialCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCount);
        _count = new TVar<int>(initialCount, "TSemaphore.Count");
    }

    /// <summary>Gets the number of permits available. Callable inside or outside a transaction; never blocks.</summary>
    public int CurrentCount => _count.Value;

    /// <summary>Shows the count in the debugger without starting a transaction.</summary>
    private string DebuggerCount =>
        DebuggerRead.Text(this, static semaphore => semaphore._count.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Takes a permit. Callable inside or outside a transaction. Blocks while no permit is available:
    /// inside a transaction it calls <see cref="Atomic.Retry"/>; outside one it blocks the calling
    /// thread until a permit is released.
    /// </summary>
    public void Wait() => Transactional.Run(this, s_acquireOrWait);

    /// <summary>
    /// Takes a permit, blocking the calling thread while none is available until one is released or
    /// <paramref name="cancellationToken"/> is cancelled. Call it outside a transaction only; inside
    /// one, call <see cref="Wait()"/> and give the token to <see cref="Atomic.Run(Action, CancellationToken)"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; no permit is taken then.</param>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before a permit was taken.</exception>
    public void Wait(CancellationToken cancellationToken)
    {
        WaitOptions.ThrowIfInTransaction("TSemaphore", "Wait(CancellationToken)", "Wait()");
        Transactional.Run(this, s_acquireOrWait, cancellationToken);
    }

    /// <summary>
    /// Takes a permit, blocking the calling thread at most <paramref name="timeout"/> while none is
    /// available. Call it outside a transaction only; inside one, call <see cref="TryWait"/> or
    /// <see cref="Wait()"/> and give the timeout to <see cref="Atomic.TryRun(Action, TimeSpan)"/>.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns><see langword="true"/> if a permit was taken; <see langword="false"/> (none taken) on timeout.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    public bool Wait(TimeSpan timeout)
    {
        WaitOptions.ThrowIfInvalidTimeout(timeout);
        WaitOptions.ThrowIfInTransaction("TSemaphore", "Wait(TimeSpan)", "Wait()");
        return Transactional.TryRun(this, s_acquireOrWait, timeout);
    }

    /// <summary>
    /// Takes a permit if one is available. Callable inside or outside a transaction; never blocks
    /// (never retries).
    /// </summary>
    /// <returns><see langword="true"/> if a permit was taken.</returns>
    public bool TryWait() => Transactional.Run(this, static semaphore => semaphore.TryWaitCore());

    /// <summary>
    /// Returns <paramref name="count"/> permits. Callable inside or outside a transaction; never blocks.
    /// </summary>
    /// <param name="count">The number of permits to return, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1 (nothing is released).</exception>
    /// <exception cref="SemaphoreFullException">The count would exceed <see cref="int.MaxValue"/> (nothing is released).</exception>
    public void Release(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Transactional.Run((Semaphore: this, Count: count), static args => args.Semaphore.ReleaseCore(args.Count));
    }

    /// <summary>
    /// Takes a permit, waiting without blocking a thread while none is available
    /// (<see cref="Atomic.RunAsync(Action, CancellationToken)"/>). Call it outside a transaction only;
    /// inside one, call <see cref="Wait()"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; no permit is taken then.</param>
    /// <returns>A task that completes when a permit has been taken.</returns>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before a permit was taken.</exception>
    public ValueTask WaitAsync(CancellationToken cancellationToken = default)
    {
        WaitOptions.ThrowIfAsyncInTransaction("TSemaphore.WaitAsync", "TSemaphore.Wait");
        return Transactional.RunAsync(this, s_acquireOrWait, cancellationToken);
    }

    private bool TryWaitCore()
    {
        int count = _count.Value;
        if (count == 0)
        {
            return false;
        }

        _count.Value = count - 1;
        return true;
    }

    private void ReleaseCore(int releaseCount)
    {
        int count = _count.Value;
        if (count > int.MaxValue - releaseCount)
        {
            ThrowHelper.ThrowSemaphoreFull(count, releaseCount);
        }

        _count.Value = count + releaseCount;
    }
}
