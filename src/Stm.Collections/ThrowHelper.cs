using System.Diagnostics.CodeAnalysis;

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
}
