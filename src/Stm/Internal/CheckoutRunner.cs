using System.Diagnostics;

namespace Stm.Internal;

/// <summary>
/// The rinse-and-repeat loop of <c>Atomic.RunAsync</c> with a checkout body: check out, run the
/// body, commit; on a conflict run the body again on a fresh checkout, after a randomised pause that
/// grows with the conflicts, and with priority once it keeps losing (see <see cref="ContentionManager"/>);
/// on a retry wait, without a thread, until a TVar the checkout read changes.
/// </summary>
/// <remarks>
/// A loop of its own rather than <see cref="Transaction"/>'s attempt loop: each run is a whole body
/// that awaits between its blocks, on a fresh checkout, so it is an async loop over checkouts where
/// the attempt loop is a synchronous one over attempts of one thread's transaction. It pauses with
/// <c>Task.Delay</c> rather than spinning, since its attempts span awaits.
/// </remarks>
internal static class CheckoutRunner
{
    /// <summary>The longest pause between two conflicting runs, in milliseconds.</summary>
    private const int MaxPauseMilliseconds = 64;

    /// <summary>Runs <paramref name="body"/> on fresh checkouts until a run of it commits; returns that run's result.</summary>
    /// <remarks>
    /// About 60 lines: the awaited steps (the body, the wait, the pause) stay in this one async method,
    /// since each async helper would add a state machine, allocated whenever its await does not
    /// complete at once; the synchronous decision after the body is <see cref="Finish"/>.
    /// </remarks>
    internal static async ValueTask<TResult> RunAsync<TBody, TResult>(TBody body, CancellationToken cancellationToken)
        where TBody : struct, ICheckoutBody<TResult>
    {
        RunProgress progress = default;

        // Whether an attempt has marked the run's footprint with its ticket: only then does holding
        // priority protect anything.
        bool footprintMarked = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress.Attempts++;
            RetryWaiter? waiter;
            CheckoutAttemptEnd end;
            TResult result;
            var checkout = new Checkout(retryAllowed: true);
            TakePriorityPart(checkout, ref progress, footprintMarked);
            long started = (progress.Conflicts | progress.Wakeups) != 0 ? Stopwatch.GetTimestamp() : 0;
            try
            {
                try
                {
                    result = await body.Invoke(checkout, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (checkout.IsDoomed || checkout.CommitFailed)
                {
                    // A block conflicted or retried, or the body's own commit conflicted, and the
                    // body let the exception out (or threw another one after it): the attempt cannot
                    // commit, whatever the body did next.
                    result = default!;
                }

                end = Finish(checkout, ref progress, out waiter);
            }
            finally
            {
                // Completes the checkout if the body did not. Completing it (here or in the body's own
                // commit) marks its footprint if it has a ticket and did not commit, and gives priority up.
                checkout.Dispose();
            }

            footprintMarked = progress.PriorityTicket != 0;
            if (started != 0)
            {
                progress.LongestAttemptTicks = Math.Max(progress.LongestAttemptTicks, Stopwatch.GetTimestamp() - started);
            }

            if (end == CheckoutAttemptEnd.Committed)
            {
                return result;
            }

            if (waiter is not null)
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
            }
            else if (end == CheckoutAttemptEnd.Conflicted)
            {
                progress.Conflicts++;
                await PauseAfterConflict(progress.Conflicts, cancellationToken).ConfigureAwait(false);
            }

            // Otherwise a read changed while the waiter registered: run again at once.
        }
    }

    /// <summary>
    /// After the body returned: commits the checkout unless the body did (or it cannot commit), or,
    /// if a block retried, registers <paramref name="waiter"/> on every TVar the checkout read (null
    /// if one of them has changed already). The caller disposes the checkout either way.
    /// </summary>
    private static CheckoutAttemptEnd Finish(Checkout checkout, ref RunProgress progress, out RetryWaiter? waiter)
    {
        waiter = null;
        if (checkout.Committed)
        {
            // The body committed the checkout itself.
            return CheckoutAttemptEnd.Committed;
        }

        if (checkout.Retried)
        {
            waiter = checkout.PrepareWait(ref progress);
            return CheckoutAttemptEnd.Retried;
        }

        if (!checkout.IsCompleted)
        {
            return checkout.TryCommit() ? CheckoutAttemptEnd.Committed : CheckoutAttemptEnd.Conflicted;
        }

        if (!checkout.CommitFailed)
        {
            ThrowHelper.ThrowCheckoutEndedByBody();
        }

        return CheckoutAttemptEnd.Conflicted;
    }

    /// <summary>
    /// Contention management for a checkout run, as for a synchronous run: once the run has lost often
    /// enough that losing this attempt would give it priority, the attempt carries the run's ticket
    /// (and marks its footprint if it does not commit); once a footprint is marked, each attempt holds
    /// priority for a grant of twice the run's longest attempt, awaits included.
    /// </summary>
    private static void TakePriorityPart(Checkout checkout, ref RunProgress progress, bool footprintMarked)
    {
        if (progress.PriorityTicket == 0)
        {
            bool losingAgainGivesPriority = progress.Conflicts + 1 >= Transaction.PriorityAfterConflicts
                || progress.Wakeups + 1 >= Transaction.PriorityAfterWakeups;
            if (!losingAgainGivesPriority || (TestHooks.Enabled && TestHooks.NeverTakePriority))
            {
                return;
            }

            progress.PriorityTicket = ContentionManager.NewTicket();
        }

        checkout.UsePriorityTicket(progress.PriorityTicket);
        if (footprintMarked)
        {
            // Released when the checkout completes (see Checkout.Finish); if another run holds
            // priority, this attempt runs without it.
            _ = ContentionManager.TryHold(progress.PriorityTicket, ContentionManager.GrantFor(progress.LongestAttemptTicks));
        }
    }

    /// <summary>Spreads out bodies that keep conflicting, so they stop colliding in lock-step.</summary>
    private static Task PauseAfterConflict(int conflicts, CancellationToken cancellationToken)
    {
        if (conflicts <= 1)
        {
            return Task.CompletedTask;
        }

        int limit = Math.Min(1 << Math.Min(conflicts - 1, 30), MaxPauseMilliseconds);
        return Task.Delay(Random.Shared.Next(1, limit + 1), cancellationToken);
    }
}
