using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The attempt loop of a top-level run: begin an attempt, run the body, commit; on a conflict roll
/// back, back off and run again; on a retry hand a registered waiter to the caller, which parks and
/// then runs the loop again (see <c>Transaction.Wait.cs</c>).
/// </summary>
/// <remarks>
/// Owns no fields: what a run has been through across attempts and waits is the caller's
/// <see cref="RunProgress"/>. Invariants: exactly one attempt is active at a time, and every attempt
/// ends (<see cref="EndAttempt"/>) before the next begins or the run returns; a user exception ends
/// the run after rolling the attempt back; AfterCommit handlers run only after the run committed and
/// gave up priority, and AfterRollback handlers of re-run attempts report their failures only then.
/// </remarks>
internal sealed partial class Transaction
{
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

    /// <summary>
    /// Runs attempts until one commits (returns null, <paramref name="result"/> set, AfterCommit handlers
    /// run) or one retries (returns a waiter registered on its reads, already re-validated: the caller
    /// parks on it, then releases it). User exceptions roll back and propagate unchanged. A run that
    /// keeps losing holds priority (see <see cref="ContentionManager"/>) from its next attempt on.
    /// </summary>
    /// <remarks>
    /// About 60 lines, kept in one method: the body runs inside this frame's try, and the helpers it
    /// calls are inlined, so a run that commits at once costs its caller this one call.
    /// </remarks>
    private static RetryWaiter? RunAttempts<TBody, TResult>(
        ref TBody body, ref RunProgress progress, bool isAsync, Transaction? threadTransaction, out TResult result)
        where TBody : struct, IBody<TResult>
    {
        result = default!;
        Transaction transaction = Rent(threadTransaction);
        transaction.AdoptPriorityTicket(progress.PriorityTicket);
        bool holding = false;
        try
        {
            while (true)
            {
                long started = transaction.StartAttempt(ref progress, ref holding);
                bool committed;
                try
                {
                    result = body.Invoke();
                    committed = transaction.TryCommitAttempt();
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

                if (transaction.IsRetryPending)
                {
                    // Waiting while holding priority would hold back the commits it waits for.
                    ReleasePriority(ref progress, ref holding);
                    if (transaction.PrepareWaitAfterRetry(ref progress, isAsync) is { } waiter)
                    {
                        return waiter;
                    }

                    // A read changed while registering: nothing to wait for, run again now.
                    continue;
                }

                if (committed)
                {
                    transaction.EndAttempt();
                    ReleasePriority(ref progress, ref holding);
                    transaction.FinishCommittedRun(ref progress);
                    return null;
                }

                transaction.AfterConflict(ref progress, started);
            }
        }
        finally
        {
            ReleasePriority(ref progress, ref holding);
            transaction.EndRun();
        }
    }

    /// <summary>
    /// Starts the next attempt of a run: counts it, takes or renews priority if the run has a ticket
    /// (<paramref name="holding"/>), and begins it. Returns when it started, in
    /// <see cref="Stopwatch"/> ticks, or 0 while the run has never lost: the grant of priority depends
    /// on how long attempts take, and only a run that lost can need it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long StartAttempt(ref RunProgress progress, ref bool holding)
    {
        progress.Attempts++;
        holding = TryHoldPriority(ref progress);
        long started = (progress.Conflicts | progress.Wakeups) != 0 ? Stopwatch.GetTimestamp() : 0;
        Begin();
        return started;
    }

    /// <summary>
    /// Commits the attempt whose body has returned, unless a signal is still pending: one requested
    /// without a throw (RequestRetry), or thrown and swallowed by the body, means it cannot commit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryCommitAttempt() =>
        _pendingSignal == PendingSignal.None && (_writes.Count == 0 || TryCommit());

    /// <summary>After the run committed (and gave up priority): counts the commit and runs the AfterCommit handlers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FinishCommittedRun(ref RunProgress progress)
    {
        StmMetrics.RecordCommit(ref _counters, progress.Attempts);
        if (_handlers.Count != 0 || progress.HandlerFailures is not null)
        {
            _handlers.Commit(ref progress.HandlerFailures);
            HandlerList.ThrowIfAny(progress.HandlerFailures, committed: true);
        }
    }

    /// <summary>
    /// After an attempt that lost a conflict: counts it, marks its footprint once the run has lost
    /// often enough to hold priority next, rolls it back, and backs off.
    /// </summary>
    private void AfterConflict(ref RunProgress progress, long started)
    {
        StmMetrics.RecordConflict(ref _counters, _conflictVar);
        progress.Conflicts++;
        NoteDataConflict();
        if (started != 0)
        {
            progress.LongestAttemptTicks = Math.Max(progress.LongestAttemptTicks, Stopwatch.GetTimestamp() - started);
        }

        if (progress.Conflicts >= PriorityAfterConflicts)
        {
            MarkFootprint(ref progress);
        }

        RollBackForRerun(ref progress);
        Backoff.Pause(progress.Conflicts);
    }

    /// <summary>
    /// Rolls back an attempt that will be run again (after a conflict or a wait): its AfterRollback
    /// handlers run, and their failures are kept for the end of the run rather than ending it.
    /// </summary>
    private void RollBackForRerun(ref RunProgress progress)
    {
        EndAttempt();
        if (_handlers.Count != 0)
        {
            _handlers.RollBack(0, ref progress.HandlerFailures);
        }
    }

    /// <summary>Rolls the attempt back: discards its logs, then runs its AfterRollback handlers outside it.</summary>
    private void AbortAttempt(bool swallowHandlerFailures)
    {
        EndAttempt();
        _handlers.RollBack(0, swallowHandlerFailures);
    }

    /// <summary>
    /// The end of <see cref="RunAttempts"/>, however it ends: no attempt left open (normally already
    /// ended; this covers an exception escaping from an unexpected place), no handlers kept, and the
    /// object given back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndRun()
    {
        if (_attemptActive)
        {
            EndAttempt();
        }

        if (_handlers.Count != 0)
        {
            _handlers.Truncate(0);
        }

        AdoptPriorityTicket(0);
        Return();
    }
}
