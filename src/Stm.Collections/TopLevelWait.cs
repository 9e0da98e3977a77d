using System.Threading.Channels;
using Stm.Internal;

namespace Stm.Collections;

/// <summary>
/// Turns the outcome of a non-blocking attempt into the body of a blocking operation run as its own
/// top-level transaction: when the attempt found nothing (or no room), the transaction waits through
/// <see cref="Atomic.RequestRetry"/>, which spares the blocked caller the cost of a thrown and caught
/// retry signal. Only for bodies that return right after the call; inside a caller's transaction the
/// blocking members call <see cref="Atomic.Retry"/>, which unwinds the caller's code at once. Also the
/// argument checks shared by the members that wait with a cancellation token or a timeout.
/// </summary>
internal static class TopLevelWait
{
    /// <summary>The item the attempt found; if it found none, requests the wait (the item is then ignored).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="attempt">Whether the attempt found an item, and the item.</param>
    /// <returns>The item.</returns>
    public static T ItemOrWait<T>((bool Found, T Item) attempt)
    {
        if (!attempt.Found)
        {
            Atomic.RequestRetry();
        }

        return attempt.Item;
    }

    /// <summary>
    /// The item the attempt found; if it found none, throws when <paramref name="completed"/> is set
    /// (no item will ever arrive) and requests the wait otherwise.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="attempt">Whether the attempt found an item, and the item.</param>
    /// <param name="completed">The completion flag of the queue or channel.</param>
    /// <param name="owner">The type, for example <c>TQueue&lt;T&gt;</c>, for the message.</param>
    /// <param name="member">The waiting member, for example <c>Dequeue</c>, for the message.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ChannelClosedException">Nothing was found and the flag is set.</exception>
    public static T ItemOrWait<T>((bool Found, T Item) attempt, TVar<bool> completed, string owner, string member)
    {
        if (!attempt.Found)
        {
            // Read before the wait is requested (after it, every access throws the retry signal):
            // being in the read set is what lets the commit of Complete wake this waiter.
            if (IsCompletedBeforeWait(completed))
            {
                ThrowHelper.ThrowNoMoreItems(owner, member);
            }

            Atomic.RequestRetry();
        }

        return attempt.Item;
    }

    /// <summary>
    /// One step of a consuming enumeration: the attempt itself when it found an item, or "not found"
    /// (the end) when <paramref name="completed"/> is set; otherwise requests the wait.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="attempt">Whether the attempt found an item, and the item.</param>
    /// <param name="completed">The completion flag of the queue or channel.</param>
    /// <returns>The attempt; not found means the enumeration is over.</returns>
    public static (bool Found, T Item) ItemOrEnd<T>((bool Found, T Item) attempt, TVar<bool> completed)
    {
        if (!attempt.Found && !IsCompletedBeforeWait(completed))
        {
            Atomic.RequestRetry();
        }

        return attempt;
    }

    /// <summary>
    /// Reads the completion flag of an empty queue or channel inside the consumer's transaction, just
    /// before it waits: the read puts the flag in the read set, so the commit of Complete wakes the wait.
    /// </summary>
    /// <param name="completed">The completion flag.</param>
    /// <returns>Whether the queue or channel was completed.</returns>
    public static bool IsCompletedBeforeWait(TVar<bool> completed)
    {
        if (TestHooks.Enabled && TestHooks.CompleteWakesNoWaiter)
        {
            // Planted completion bug: the newest committed value, outside the read set.
            return completed.Current.Value;
        }

        return completed.Value;
    }

    /// <summary>Requests the wait unless the attempt succeeded.</summary>
    /// <param name="succeeded">Whether the attempt did its work.</param>
    public static void UnlessDone(bool succeeded)
    {
        if (!succeeded)
        {
            Atomic.RequestRetry();
        }
    }

    /// <summary>
    /// For the waiting members that take a cancellation token or a timeout: they run their own
    /// top-level transaction, so inside a caller's transaction they refuse.
    /// </summary>
    /// <param name="owner">The type, for example <c>TQueue&lt;T&gt;</c>, for the message.</param>
    /// <param name="member">The member that was called, for example <c>Dequeue(CancellationToken)</c>.</param>
    /// <param name="alternative">The member to call inside a transaction instead, for example <c>Dequeue()</c>.</param>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    public static void ThrowIfInTransaction(string owner, string member, string alternative)
    {
        if (Atomic.InTransaction)
        {
            // The message is built only here, so the callers pass constants and allocate nothing.
            ThrowHelper.ThrowWaitOptionInsideTransaction(owner, member, alternative);
        }
    }

    /// <summary>Checks a timeout the way <see cref="Atomic.TryRun(Action, TimeSpan)"/> does.</summary>
    /// <param name="timeout">Zero or more, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public static void ThrowIfInvalidTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            ThrowHelper.ThrowInvalidTimeout(timeout);
        }
    }
}
