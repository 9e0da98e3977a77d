using System.Diagnostics.CodeAnalysis;

namespace Stm.Internal;

/// <summary>Throws the library's usage errors, kept off the hot paths.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    internal static void ThrowNotInTransaction(string member) =>
        throw new InvalidOperationException(
            $"Atomic.{member} can only be called inside a transaction: call it from the body passed to Atomic.Run.");

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
}
