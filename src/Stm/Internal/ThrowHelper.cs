using System.Diagnostics.CodeAnalysis;

namespace Stm.Internal;

/// <summary>Throws the library's usage errors, kept off the hot paths.</summary>
internal static class ThrowHelper
{
    /// <summary>Refuses <paramref name="member"/> (qualified with its type, for example <c>Atomic.Retry</c>) outside a transaction.</summary>
    [DoesNotReturn]
    internal static void ThrowNotInTransaction(string member) =>
        throw new InvalidOperationException(
            $"{member} can only be called inside a transaction: call it from the body passed to Atomic.Run.");

    [DoesNotReturn]
    internal static void ThrowRetryWithoutReads() =>
        throw new InvalidOperationException(
            "Atomic.Retry was called before the transaction read any TVar, so no commit could ever wake it. " +
            "Read the TVars whose change should let the transaction proceed before calling Retry.");

    [DoesNotReturn]
    internal static void ThrowAsyncBody(Type resultType) =>
        throw new NotSupportedException(
            $"The transaction body returns {resultType.Name}: a transaction cannot span an await. " +
            "Make the body synchronous, and await outside Atomic.Run (use Atomic.RunAsync to wait for Retry without blocking a thread).");

    [DoesNotReturn]
    internal static void ThrowTVarAccessDuringCommit() =>
        throw new InvalidOperationException(
            "A Commute update ran at commit and tried to read or write a TVar. Commute updates must be pure functions of the value they are given.");

    [DoesNotReturn]
    internal static void ThrowAsyncInsideTransaction(string member) =>
        throw new InvalidOperationException(
            $"{member} waits asynchronously and cannot take part in an enclosing transaction. Call the synchronous member inside Atomic.Run instead.");

    [DoesNotReturn]
    internal static Transaction ThrowValueSetOutsideTransaction(string? name) =>
        throw new InvalidOperationException(
            $"TVar{(name is null ? "" : $" '{name}'")}.Value was set outside a transaction, which would let x.Value++ or x.Value += n " +
            "silently lose concurrent updates (the read and the write would be two transactions), so nothing was written. " +
            "Update it in a transaction (Atomic.Run(() => x.Value++)), use x.Modify(v => ...) for a read-modify-write, " +
            "or x.Write(value) for a plain store.");

    internal static InvalidOperationException RetryInManualCheckout() =>
        new(
            "Atomic.Retry was called in a block of a checkout made by Atomic.Checkout(), which has nobody to wait and re-run it; " +
            "the block's writes were rolled back. Run the work with Atomic.RunAsync(async (checkout, ct) => ...), " +
            "which waits for a TVar the checkout read to change and re-runs the body, or test the condition and decide in the block.");

    /// <summary>Refuses <paramref name="member"/> (a checkout's own transaction) inside another transaction.</summary>
    internal static void ThrowIfCheckoutInsideTransaction(string member)
    {
        if (Transaction.Current is not null)
        {
            ThrowCheckoutInsideTransaction(member);
        }
    }

    [DoesNotReturn]
    private static void ThrowCheckoutInsideTransaction(string member) =>
        throw new InvalidOperationException(
            $"{member} cannot be called inside a transaction: a checkout is a transaction of its own, held across awaits. " +
            "Make the checkout outside Atomic.Run (and outside any checkout block), or do the work in the running transaction.");

    [DoesNotReturn]
    internal static void ThrowCheckoutCompleted() =>
        throw new InvalidOperationException(
            "The checkout has already been committed, failed to commit, or been disposed, so it can run no more blocks, reads, writes or commits. " +
            "Make a new one with Atomic.Checkout().");

    [DoesNotReturn]
    internal static void ThrowCheckoutBusy() =>
        throw new InvalidOperationException(
            "Another block (or the commit) of this checkout is running right now. A checkout runs one block at a time: " +
            "await the previous block's work before starting the next, and do not share a checkout between concurrent tasks.");

    [DoesNotReturn]
    internal static void ThrowCheckoutEndedByBody() =>
        throw new InvalidOperationException(
            "The body passed to Atomic.RunAsync disposed the checkout it was given, so there is nothing to commit. " +
            "Let Atomic.RunAsync commit or abandon the checkout: return to commit, throw to abandon.");

    [DoesNotReturn]
    internal static void ThrowAsyncVoidBody(string method) =>
        throw new NotSupportedException(
            $"The transaction body ({method}) is an async lambda or async method typed as Action (async void): " +
            "a transaction cannot span an await, and everything after its first await would run outside the transaction. " +
            "Make the body synchronous and await outside Atomic.Run, or use a checkout: Atomic.RunAsync(async (checkout, ct) => ...).");
}
