namespace Stm.Internal;

/// <summary>
/// The rinse-and-repeat loop of <c>Atomic.RunAsync</c> with a checkout body: check out, run the
/// body, commit; on a conflict run the body again on a fresh checkout, after a randomised pause that
/// grows with the conflicts; on a retry wait, without a thread, until a TVar the checkout read changes.
/// </summary>
internal static class CheckoutRunner
{
    /// <summary>The longest pause between two conflicting runs, in milliseconds.</summary>
    private const int MaxPauseMilliseconds = 64;

    internal static async ValueTask<TResult> RunAsync<TBody, TResult>(TBody body, CancellationToken cancellationToken)
        where TBody : struct, ICheckoutBody<TResult>
    {
        RunProgress progress = default;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress.Attempts++;
            RetryWaiter? waiter = null;
            bool retried = false;
            var checkout = new Checkout(retryAllowed: true);
            try
            {
                TResult result;
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

                if (checkout.Committed)
                {
                    // The body committed the checkout itself.
                    return result;
                }

                if (checkout.Retried)
                {
                    retried = true;
                    waiter = checkout.PrepareWait(ref progress);
                }
                else if (!checkout.IsCompleted)
                {
                    if (checkout.TryCommit())
                    {
                        return result;
                    }
                }
                else if (!checkout.CommitFailed)
                {
                    ThrowHelper.ThrowCheckoutEndedByBody();
                }
            }
            finally
            {
                checkout.Dispose();
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
                continue;
            }

            if (retried)
            {
                // A read changed while the waiter registered: run again at once.
                continue;
            }

            progress.Conflicts++;
            await PauseAfterConflict(progress.Conflicts, cancellationToken).ConfigureAwait(false);
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
