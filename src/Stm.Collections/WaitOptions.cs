namespace Stm.Collections;

/// <summary>
/// The argument checks shared by the blocking members that take a cancellation token or a timeout,
/// by the asynchronous ones and by the consuming enumerations. They all run their own top-level
/// transactions (the token and the timeout bound its wait; an asynchronous wait cannot be part of a
/// synchronous transaction; each step of an enumeration commits on its own), so inside a caller's
/// transaction they refuse and name the member to call there instead.
/// </summary>
internal static class WaitOptions
{
    /// <summary>Refuses a member that waits with a token or a timeout inside a transaction.</summary>
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

    /// <summary>Refuses an asynchronous member inside a transaction.</summary>
    /// <param name="asyncMember">The member that was called, for example <c>TQueue&lt;T&gt;.DequeueAsync</c>.</param>
    /// <param name="syncMember">The synchronous member to call instead, for example <c>TQueue&lt;T&gt;.Dequeue</c>.</param>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    public static void ThrowIfAsyncInTransaction(string asyncMember, string syncMember)
    {
        if (Atomic.InTransaction)
        {
            ThrowHelper.ThrowAsyncInsideTransaction(asyncMember, syncMember);
        }
    }

    /// <summary>Refuses a step of a consuming enumeration inside a transaction (each step is a transaction of its own).</summary>
    /// <param name="member">The enumerating member, for example <c>TQueue&lt;T&gt;.GetConsumingEnumerable</c>.</param>
    /// <exception cref="InvalidOperationException">Called inside a transaction.</exception>
    public static void ThrowIfConsumingInTransaction(string member)
    {
        if (Atomic.InTransaction)
        {
            ThrowHelper.ThrowConsumingInsideTransaction(member);
        }
    }

    /// <summary>Checks a timeout the way <see cref="Atomic.TryRun(Action, TimeSpan)"/> does, before anything is attempted.</summary>
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
