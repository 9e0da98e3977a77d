using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading.Channels;

namespace Stm.Collections;

/// <summary>
/// Throws the exceptions of the collections, kept out of the callers so that their hot paths stay
/// small enough to inline (the pattern of System.Collections.Concurrent's ThrowHelper).
/// </summary>
internal static class ThrowHelper
{
    /// <summary>Throws because an asynchronous member was called inside a transaction.</summary>
    /// <param name="asyncMember">The member that was called, for example <c>TQueue&lt;T&gt;.DequeueAsync</c>.</param>
    /// <param name="syncMember">The synchronous member to call instead, for example <c>Dequeue</c>.</param>
    [DoesNotReturn]
    public static void ThrowAsyncInsideTransaction(string asyncMember, string syncMember) =>
        throw new InvalidOperationException(
            $"{asyncMember} cannot be called inside a transaction: a transaction cannot span an await. " +
            $"Call {syncMember} instead; inside a transaction it waits by retrying the enclosing transaction " +
            "(Atomic.Retry), so it composes with Atomic.OrElse and honours the transaction's cancellation and timeout.");

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for an index outside 0..length-1.</summary>
    /// <param name="index">The index that was passed.</param>
    /// <param name="length">The length of the collection.</param>
    [DoesNotReturn]
    public static void ThrowIndexOutOfRange(int index, int length) =>
        throw new ArgumentOutOfRangeException(
            nameof(index), index, $"Index must be between 0 and Length - 1 ({length - 1}); the array has {length} element(s).");

    /// <summary>Throws <see cref="SemaphoreFullException"/> when a release would overflow the count.</summary>
    /// <param name="currentCount">The count before the release.</param>
    /// <param name="releaseCount">The count that was to be added.</param>
    [DoesNotReturn]
    public static void ThrowSemaphoreFull(int currentCount, int releaseCount) =>
        throw new SemaphoreFullException(
            $"Releasing {releaseCount} would raise the semaphore's count {currentCount} above Int32.MaxValue; nothing was released.");

    /// <summary>Throws <see cref="OverflowException"/> when an addition would take a counter out of range.</summary>
    /// <param name="value">The value before the addition.</param>
    /// <param name="delta">The amount that was to be added.</param>
    [DoesNotReturn]
    public static void ThrowCounterOverflow(long value, long delta) =>
        throw new OverflowException(
            $"Adding {delta} to the counter's value {value} would go {(delta > 0 ? "above long.MaxValue" : "below long.MinValue")}; " +
            "nothing was added. Use a smaller amount, or keep the total in a type with a larger range.");

    /// <summary>Throws because an item was added to a completed queue or channel.</summary>
    /// <param name="owner">The type, for example <c>TQueue&lt;T&gt;</c>.</param>
    [DoesNotReturn]
    public static void ThrowCompleted(string owner) =>
        throw new InvalidOperationException(
            $"The {owner} was completed (Complete was called), so it accepts no more items. Add every item before " +
            "calling Complete; the items added before it are still delivered. Check IsCompleted first if producers may outlive the completion.");

    /// <summary>
    /// Throws <see cref="ChannelClosedException"/> because a waiting member found nothing to take in a
    /// completed queue or channel: no item will ever arrive.
    /// </summary>
    /// <param name="owner">The type, for example <c>TQueue&lt;T&gt;</c>.</param>
    /// <param name="member">The waiting member, for example <c>Dequeue</c>; its non-waiting twin is <c>Try</c> + member.</param>
    [DoesNotReturn]
    public static void ThrowNoMoreItems(string owner, string member) =>
        throw new ChannelClosedException(
            $"{owner}.{member} has nothing to wait for: Complete was called and no item is left to take, so none will ever arrive. " +
            $"Use Try{member}, which returns false, or consume with GetConsumingEnumerable or ReadAllAsync, which end there instead of throwing.");

    /// <summary>Throws because a member that waits with a token or a timeout was called inside a transaction.</summary>
    /// <param name="owner">The type, for example <c>TQueue&lt;T&gt;</c>.</param>
    /// <param name="member">The member that was called, for example <c>Dequeue(CancellationToken)</c>.</param>
    /// <param name="alternative">The member to call inside the transaction instead, for example <c>Dequeue()</c>.</param>
    [DoesNotReturn]
    public static void ThrowWaitOptionInsideTransaction(string owner, string member, string alternative) =>
        throw new InvalidOperationException(
            $"{owner}.{member} cannot be called inside a transaction: the cancellation token or timeout belongs on the outermost " +
            $"Atomic.Run or Atomic.TryRun, which does the waiting for the whole transaction. Inside the transaction call {alternative}, " +
            "and pass the token to Atomic.Run(body, cancellationToken) or the timeout to Atomic.TryRun(body, timeout).");

    /// <summary>Throws because a consuming enumeration was advanced inside a transaction.</summary>
    /// <param name="member">The member that created it, for example <c>TQueue&lt;T&gt;.GetConsumingEnumerable</c>.</param>
    [DoesNotReturn]
    public static void ThrowConsumingInsideTransaction(string member) =>
        throw new InvalidOperationException(
            $"The enumeration of {member} cannot be advanced inside a transaction: it takes each item in a transaction of its own. " +
            "Enumerate it outside any transaction, or take items inside the transaction with the waiting member (Dequeue or Read).");

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a negative timeout that is not infinite.</summary>
    /// <param name="timeout">The timeout that was passed.</param>
    [DoesNotReturn]
    public static void ThrowInvalidTimeout(TimeSpan timeout) =>
        throw new ArgumentOutOfRangeException(
            nameof(timeout), timeout, string.Format(CultureInfo.InvariantCulture,
            "The timeout must be zero or more, or Timeout.InfiniteTimeSpan to wait for ever; {0} was passed.", timeout));
}
