using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>The attempt loop of a top-level run: commit, re-run on conflict, wait on Retry.</summary>
internal sealed partial class Transaction
{
    /// <summary>After this many conflicts a run holds priority (see <see cref="ContentionManager"/>).</summary>
    private const int PriorityAfterConflicts = 6;

    /// <summary>After this many wake-ups without committing a run holds priority, so newcomers cannot keep beating it.</summary>
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
            bool woken = false;
            WakeTurn? turn;
            try
            {
                int timeout = RemainingMilliseconds(deadline);
                woken = timeout != 0 && waiter.WaitSync(timeout, cancellationToken);
            }
            finally
            {
                // Turn-taking (Transaction.Turns.cs): a woken run keeps its place in line.
                turn = ReleaseAfterWait(waiter, woken);
            }

            if (!woken)
            {
                return false;
            }

            progress.Wakeups++;

            // The thread's transaction object is the same after a wait (temporary ones are popped
            // before RunAttempts returns), unless there was none yet: then Rent looks it up again.
            // Turn-taking: its update commits wait for the older runs woken with it.
            RetryWaiter? next = RunAttemptsInTurn<TBody, TResult>(ref body, ref progress, turn!, isAsync: false, deadline, threadTransaction, out result);
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
            bool woken = false;
            WakeTurn? turn;
            try
            {
                woken = await waiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Turn-taking (Transaction.Turns.cs): a woken run keeps its place in line.
                turn = ReleaseAfterWait(waiter, woken);
            }

            progress.Wakeups++;

            // Turn-taking: wait without a thread for the older runs woken with this one, then run.
            await turn!.WaitForTurnAsync().ConfigureAwait(false);
            RetryWaiter? next = RunAttemptsInTurn<TBody, TResult>(ref body, ref progress, turn!, isAsync: true, long.MaxValue, threadTransaction: null, out TResult result);
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
    /// parks on it, then releases it). User exceptions roll back and propagate unchanged. A run that
    /// keeps losing holds priority (see <see cref="ContentionManager"/>) from its next attempt on.
    /// </summary>
    private static RetryWaiter? RunAttempts<TBody, TResult>(
        ref TBody body, ref RunProgress progress, bool isAsync, Transaction? threadTransaction, out TResult result)
        where TBody : struct, IBody<TResult>
    {
        result = default!;
        Transaction transaction = Rent(threadTransaction);
        transaction._priorityTicket = progress.PriorityTicket;
        bool holding = false;
        try
        {
            while (true)
            {
                progress.Attempts++;
                holding = progress.PriorityTicket != 0
                    && ContentionManager.TryHold(progress.PriorityTicket, ContentionManager.GrantFor(progress.LongestAttemptTicks));

                // Attempts are timed only once the run has lost: the grant of priority depends on them.
                long started = (progress.Conflicts | progress.Wakeups) != 0 ? Stopwatch.GetTimestamp() : 0;
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
                    StmMetrics.RecordCommit(ref transaction._counters, progress.Attempts);
                    if (transaction._handlers.Count != 0 || progress.HandlerFailures is not null)
                    {
                        transaction._handlers.Commit(ref progress.HandlerFailures);
                        HandlerList.ThrowIfAny(progress.HandlerFailures, committed: true);
                    }

                    return null;
                }

                transaction.AfterConflict(ref progress, started);
            }
        }
        finally
        {
            ReleasePriority(ref progress, ref holding);

            // Normally already done; this covers an exception escaping from an unexpected place.
            if (transaction._attemptActive)
            {
                transaction.EndAttempt();
            }

            if (transaction._handlers.Count != 0)
            {
                transaction._handlers.Truncate(0);
            }

            transaction._priorityTicket = 0;
            transaction.Return();
        }
    }

    private static void ReleasePriority(ref RunProgress progress, ref bool holding)
    {
        if (holding)
        {
            ContentionManager.Release(progress.PriorityTicket);
            holding = false;
        }
    }

    /// <summary>
    /// After an attempt that retried: registers the waiter on its reads (marking them first if the run
    /// will hold priority when it wakes), then rolls the attempt back. Returns null if a read changed
    /// meanwhile (run again at once).
    /// </summary>
    private RetryWaiter? PrepareWaitAfterRetry(ref RunProgress progress, bool isAsync)
    {
        // Turn-taking: a wake-up that went to an older waiter woken with this run is no loss.
        if (progress.Wakeups - progress.WakeupsLostToOlderWaiters + 1 >= PriorityAfterWakeups)
        {
            MarkFootprint(ref progress);
        }

        RetryWaiter? waiter = PrepareWait(ref progress, isAsync);
        RollBackForRerun(ref progress);

        if (waiter is not null)
        {
            StmMetrics.RecordRetry(ref _counters);
        }

        return waiter;
    }

    /// <summary>
    /// After an attempt that lost a conflict: counts it, marks its footprint once the run has lost
    /// often enough to hold priority next, rolls it back, and backs off.
    /// </summary>
    private void AfterConflict(ref RunProgress progress, long started)
    {
        StmMetrics.RecordConflict(ref _counters, _conflictVar);
        progress.Conflicts++;
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
    /// Marks every TVar this attempt read or wrote with the run's contention ticket (taking one the
    /// first time), so that while the run holds priority, commits that write them wait for it.
    /// </summary>
    private void MarkFootprint(ref RunProgress progress)
    {
        if (TestHooks.Enabled && TestHooks.NeverTakePriority)
        {
            return;
        }

        if (progress.PriorityTicket == 0)
        {
            progress.PriorityTicket = ContentionManager.NewTicket();
            _priorityTicket = progress.PriorityTicket;
        }

        for (int i = 0; i < _reads.Count; i++)
        {
            ContentionManager.Mark(_reads[i].Var, progress.PriorityTicket);
        }

        for (int i = 0; i < _writes.Count; i++)
        {
            ContentionManager.Mark(_writes[i].Var, progress.PriorityTicket);
        }
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
            progress.FirstParkedAt = Environment.TickCount;
        }

        RetryWaiter waiter = RetryWaiter.Rent(in progress, isAsync);

        for (int i = 0; i < _reads.Count; i++)
        {
            waiter.Register(_reads[i].Var);
        }

        Interlocked.MemoryBarrier();
        if (!(TestHooks.Enabled && TestHooks.SkipRetryRevalidation) && !_reads.AllStillCurrent())
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
