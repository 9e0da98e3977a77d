using System.Threading.Channels;

namespace Stm.Collections;

/// <summary>
/// Turns the outcome of a non-blocking attempt into the body of a blocking member: when the attempt
/// found nothing (or no room), the body waits through <see cref="Transactional.RequestRetry"/> and
/// returns at once. Run as its own transaction, the member then waits without a thrown and caught
/// retry signal on the blocked thread; run nested in a caller's transaction, the nested run throws
/// the signal when the body returns, which unwinds the caller's code as <see cref="Atomic.Retry"/>
/// would (and lets <see cref="Atomic.OrElse(Action, Action)"/> take its second branch). So each
/// blocking member has one body, whether or not it is called inside a transaction.
/// </summary>
internal static class WaitingBody
{
    /// <summary>The item the attempt found; if it found none, requests the wait (the item is then ignored).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="attempt">Whether the attempt found an item, and the item.</param>
    /// <returns>The item.</returns>
    public static T ItemOrWait<T>((bool Found, T Item) attempt)
    {
        if (!attempt.Found)
        {
            Transactional.RequestRetry();
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

            Transactional.RequestRetry();
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
            Transactional.RequestRetry();
        }

        return attempt;
    }

    /// <summary>Requests the wait unless the attempt did its work.</summary>
    /// <param name="succeeded">Whether the attempt did its work.</param>
    public static void UnlessDone(bool succeeded)
    {
        if (!succeeded)
        {
            Transactional.RequestRetry();
        }
    }

    /// <summary>
    /// Reads the completion flag of an empty queue or channel inside the consumer's transaction, just
    /// before it waits: the read puts the flag in the read set, so the commit of Complete wakes the wait.
    /// </summary>
    /// <param name="completed">The completion flag.</param>
    /// <returns>Whether the queue or channel was completed.</returns>
    private static bool IsCompletedBeforeWait(TVar<bool> completed)
    {
        if (CollectionTestHooks.Enabled && CollectionTestHooks.CompleteWakesNoWaiter)
        {
            // Planted completion bug: the newest committed value, read on another thread, where no
            // transaction runs, so the flag stays out of this transaction's read set.
            return Task.Run(() => completed.Value).GetAwaiter().GetResult();
        }

        return completed.Value;
    }
}
