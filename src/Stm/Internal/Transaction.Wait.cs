using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// Waiting in Retry: a run whose attempt retried registers a <see cref="RetryWaiter"/> on every TVar
/// the attempt read, re-validates those reads, parks (on a thread or as a task), and when a commit
/// to one of them wakes it, runs the attempt loop again.
/// </summary>
/// <remarks>
/// Owns no fields. Invariant: no wake-up is lost. A waiter is registered before the reads are
/// re-checked (with a full fence between), and a committer publishes before it reads the wait lists,
/// so a commit the re-check misses sees the registration and signals it (see <see cref="WaitList"/>).
/// A run parks without priority, and keeps its waiter ticket across wake-ups, so it goes back to its
/// old place in the wait lists rather than behind newcomers.
/// </remarks>
internal sealed partial class Transaction
{
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

    /// <summary>The rest of <see cref="RunAsync"/> once an attempt retried: wait without a thread, re-run, until a commit or cancellation.</summary>
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

    /// <summary>Milliseconds left until <paramref name="deadline"/> for a wait: <see cref="Timeout.Infinite"/> for none, 0 once passed.</summary>
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
