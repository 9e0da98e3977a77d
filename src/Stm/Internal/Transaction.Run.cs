using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>The attempt loop of a top-level run: commit, re-run on conflict, wait on Retry.</summary>
internal sealed partial class Transaction
{
    /// <summary>After this many conflicts a run takes the priority token (see <see cref="PriorityGate"/>).</summary>
    private const int PriorityAfterConflicts = 6;

    /// <summary>After this many wake-ups without committing a run takes the priority token, so newcomers cannot keep beating it.</summary>
    private const int PriorityAfterWakeups = 4;

    /// <summary>
    /// Runs a top-level transaction on this thread until it commits, waiting synchronously in Retry.
    /// Returns false (nothing committed) if <paramref name="deadline"/> (an
    /// <see cref="Environment.TickCount64"/> value, or <see cref="long.MaxValue"/>) passes while it waits.
    /// <paramref name="threadTransaction"/> is the thread's transaction object as
    /// <see cref="GetCurrent"/> returned it on this thread just before, or null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Run<TBody, TResult>(
        ref TBody body, long deadline, Transaction? threadTransaction, CancellationToken cancellationToken, out TResult result)
        where TBody : struct, IBody<TResult>
    {
        // Inlined up to the first commit: a run that never waits costs its caller one call.
        RunProgress progress = default;
        RetryWaiter? waiter = RunAttempts<TBody, TResult>(ref body, ref progress, isAsync: false, threadTransaction, out result);
        return waiter is null
            || WaitThenRun<TBody, TResult>(ref body, ref progress, waiter, deadline, threadTransaction, cancellationToken, out result);
    }

    /// <summary>The rest of <see cref="Run"/> once an attempt retried: wait, re-run, until a commit, a timeout or cancellation.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool WaitThenRun<TBody, TResult>(
        ref TBody body,
        ref RunProgress progress,
        RetryWaiter waiter,
        long deadline,
        Transaction? threadTransaction,
        CancellationToken cancellationToken,
        out TResult result)
        where TBody : struct, IBody<TResult>
    {
        result = default!;
        while (true)
        {
            bool woken;
            try
            {
                int timeout = RemainingMilliseconds(deadline);
                woken = timeout != 0 && waiter.WaitSync(timeout, cancellationToken);
            }
            finally
            {
                waiter.Release();
            }

            if (!woken)
            {
                return false;
            }

            progress.Wakeups++;

            // The thread's transaction object is the same after a wait (temporary ones are popped
            // before RunAttempts returns), unless there was none yet: then Rent looks it up again.
            RetryWaiter? next = RunAttempts<TBody, TResult>(ref body, ref progress, isAsync: false, threadTransaction, out result);
            if (next is null)
            {
                return true;
            }

            waiter = next;
        }
    }

    /// <summary>
    /// Runs a top-level transaction, waiting asynchronously in Retry. Completes synchronously, and
    /// allocates nothing, when the transaction commits without waiting. <paramref name="threadTransaction"/>
    /// is as for <see cref="Run"/>.
    /// </summary>
    internal static ValueTask<TResult> RunAsync<TBody, TResult>(TBody body, Transaction? threadTransaction, CancellationToken cancellationToken)
        where TBody : struct, IBody<TResult>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        RunProgress progress = default;
        RetryWaiter? waiter;
        TResult result;
        try
        {
            waiter = RunAttempts<TBody, TResult>(ref body, ref progress, isAsync: true, threadTransaction, out result);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<TResult>(ex);
        }

        return waiter is null
            ? new ValueTask<TResult>(result)
            : WaitThenRunAsync<TBody, TResult>(body, progress, waiter, cancellationToken);
    }

    private static async ValueTask<TResult> WaitThenRunAsync<TBody, TResult>(
        TBody body, RunProgress progress, RetryWaiter waiter, CancellationToken cancellationToken)
        where TBody : struct, IBody<TResult>
    {
        while (true)
        {
            try
            {
                await waiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                waiter.Release();
            }

            progress.Wakeups++;
            RetryWaiter? next = RunAttempts<TBody, TResult>(ref body, ref progress, isAsync: true, threadTransaction: null, out TResult result);
            if (next is null)
            {
                return result;
            }

            waiter = next;
        }
    }

    /// <summary>
    /// Runs attempts until one commits (returns null, <paramref name="result"/> set, AfterCommit handlers
    /// run) or one retries (returns a waiter registered on its reads, already re-validated: the caller
    /// parks on it, then releases it). User exceptions roll back and propagate unchanged.
    /// </summary>
    private static RetryWaiter? RunAttempts<TBody, TResult>(
        ref TBody body, ref RunProgress progress, bool isAsync, Transaction? threadTransaction, out TResult result)
        where TBody : struct, IBody<TResult>
    {
        result = default!;
        Transaction transaction = Rent(threadTransaction);
        bool priority = false;
        try
        {
            while (true)
            {
                progress.Attempts++;
                if (!priority
                    && (progress.Conflicts >= PriorityAfterConflicts || progress.Wakeups >= PriorityAfterWakeups))
                {
                    PriorityGate.Acquire();
                    priority = true;
                }

                transaction.Begin();
                bool committed;
                try
                {
                    result = body.Invoke();

                    // A signal still pending here was requested without a throw (RequestRetry), or
                    // thrown and swallowed by the body: either way the attempt cannot commit.
                    committed = transaction._pendingSignal == PendingSignal.None
                        && (transaction._writes.Count == 0 || transaction.TryCommit());
                }
                catch (Exception) when (transaction._pendingSignal == PendingSignal.None)
                {
                    // Thrown by the body (or a commute function at commit): the attempt read a
                    // consistent snapshot, so this is the body's real outcome. Roll back, propagate as is.
                    transaction.AbortAttempt(swallowHandlerFailures: true);
                    throw;
                }
                catch (Exception)
                {
                    // The engine's conflict or retry signal, handled below.
                    committed = false;
                }

                if (transaction._pendingSignal == PendingSignal.Retry)
                {
                    if (priority)
                    {
                        // Waiting while holding the token would block the commits it waits for.
                        PriorityGate.Release();
                        priority = false;
                    }

                    RetryWaiter? waiter = transaction.PrepareWait(ref progress, isAsync);
                    try
                    {
                        transaction.AbortAttempt(swallowHandlerFailures: false);
                    }
                    catch
                    {
                        waiter?.Release();
                        throw;
                    }

                    if (waiter is not null)
                    {
                        StmMetrics.RecordRetry(ref transaction._counters);
                        return waiter;
                    }

                    // A read changed while registering: nothing to wait for, run again now.
                    continue;
                }

                if (committed)
                {
                    transaction.EndAttempt();
                    if (priority)
                    {
                        PriorityGate.Release();
                        priority = false;
                    }

                    StmMetrics.RecordCommit(ref transaction._counters, progress.Attempts);
                    if (transaction._handlers.Count != 0)
                    {
                        transaction._handlers.Commit();
                    }

                    return null;
                }

                StmMetrics.RecordConflict(ref transaction._counters, transaction._conflictVar);
                transaction.AbortAttempt(swallowHandlerFailures: false);
                progress.Conflicts++;
                Backoff.Pause(progress.Conflicts);
            }
        }
        finally
        {
            if (priority)
            {
                PriorityGate.Release();
            }

            // Normally already done; this covers an exception escaping from an unexpected place.
            if (transaction._attemptActive)
            {
                transaction.EndAttempt();
            }

            if (transaction._handlers.Count != 0)
            {
                transaction._handlers.Truncate(0);
            }

            transaction.Return();
        }
    }

    /// <summary>Rolls the attempt back: discards its logs, then runs its AfterRollback handlers outside it.</summary>
    private void AbortAttempt(bool swallowHandlerFailures)
    {
        EndAttempt();
        _handlers.RollBack(0, swallowHandlerFailures);
    }

    /// <summary>
    /// Registers a waiter on every TVar read, then re-validates the reads: a commit that landed
    /// before the registration became visible would otherwise never wake it. Returns null, with
    /// nothing registered, if something changed (the caller re-runs at once).
    /// </summary>
    private RetryWaiter? PrepareWait(ref RunProgress progress, bool isAsync)
    {
        if (_reads.Count == 0)
        {
            AbortAttempt(swallowHandlerFailures: true);
            ThrowHelper.ThrowRetryWithoutReads();
        }

        if (progress.Ticket == 0)
        {
            progress.Ticket = RetryWaiter.NextTicket();
        }

        RetryWaiter waiter = RetryWaiter.Rent(progress.Ticket, isAsync);

        for (int i = 0; i < _reads.Count; i++)
        {
            waiter.Register(_reads[i].Var);
        }

        Interlocked.MemoryBarrier();
        if (!TestHooks.SkipRetryRevalidation && !_reads.AllStillCurrent())
        {
            waiter.Release();
            return null;
        }

        return waiter;
    }

    private static int RemainingMilliseconds(long deadline)
    {
        if (deadline == long.MaxValue)
        {
            return Timeout.Infinite;
        }

        long remaining = deadline - Environment.TickCount64;
        return remaining <= 0 ? 0 : (int)Math.Min(remaining, int.MaxValue - 1);
    }
}
