using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The entry of every <c>Run</c>, <c>TryRun</c> and <c>RunAsync</c> form of <see cref="Atomic"/> and
/// <see cref="Transactional"/>: joins the transaction running on this thread as a nested scope, or
/// starts a top-level run. The public forms only check their arguments and wrap their delegate in a
/// body struct, so every form has the same semantics.
/// </summary>
internal static class RunEntry
{
    /// <summary>
    /// Runs <paramref name="body"/>: nested in the running transaction (which then does any waiting,
    /// so the deadline and token are not used), or as a top-level run that waits in Retry until
    /// <paramref name="deadline"/> or cancellation.
    /// </summary>
    /// <returns>False (nothing committed) if the deadline passed while a top-level run waited.</returns>
    internal static bool Run<TBody, TResult>(
        ref TBody body, long deadline, CancellationToken cancellationToken, out TResult result)
        where TBody : struct, IBody<TResult>
    {
        if (Transaction.GetCurrent(out Transaction? threadTransaction) is { } transaction)
        {
            result = transaction.RunNested<TBody, TResult>(ref body);
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Transaction.Run<TBody, TResult>(ref body, deadline, threadTransaction, cancellationToken, out result);
    }

    /// <summary>Every RunAsync form: joins a running transaction synchronously, or starts a top-level run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ValueTask<TResult> RunAsync<TBody, TResult>(ref TBody body, CancellationToken cancellationToken)
        where TBody : struct, IBody<TResult>
    {
        return Transaction.GetCurrent(out Transaction? threadTransaction) is { } transaction
            ? RunNestedAsync<TBody, TResult>(transaction, ref body)
            : Transaction.RunAsync<TBody, TResult>(body, threadTransaction, cancellationToken);
    }

    /// <summary>The result-less task of an action body's run (allocates nothing when it completed synchronously).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ValueTask WithoutResult(ValueTask<byte> run) =>
        run.IsCompletedSuccessfully ? default : new ValueTask(run.AsTask());

    /// <summary>The <see cref="Environment.TickCount64"/> at which a wait of <paramref name="timeout"/> from now ends.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    internal static long Deadline(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return long.MaxValue;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        double milliseconds = Math.Ceiling(timeout.TotalMilliseconds);
        return milliseconds >= long.MaxValue / 2 ? long.MaxValue : Environment.TickCount64 + (long)milliseconds;
    }

    /// <summary>
    /// A nested run for an async form: a user exception becomes a faulted task, as a top-level run's
    /// would; the engine's signals propagate, so the enclosing transaction retries or re-runs.
    /// </summary>
    private static ValueTask<TResult> RunNestedAsync<TBody, TResult>(Transaction transaction, ref TBody body)
        where TBody : struct, IBody<TResult>
    {
        try
        {
            return new ValueTask<TResult>(transaction.RunNested<TBody, TResult>(ref body));
        }
        catch (Exception ex) when (!transaction.HasPendingSignal)
        {
            return ValueTask.FromException<TResult>(ex);
        }
    }
}
