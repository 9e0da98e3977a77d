namespace Stm.Collections;

/// <summary>
/// The fast path of the queues' blocking members outside a transaction: a few non-blocking attempts,
/// each its own transaction, with a short spin in between. With an active producer (or consumer) the
/// item (or room) usually arrives within the spin, and parking and waking a thread in a wait costs
/// far more (the strategy of <see cref="SemaphoreSlim"/> and
/// <see cref="System.Collections.Concurrent.BlockingCollection{T}"/>). Inside a caller's transaction it
/// attempts nothing: re-running a nested attempt there would see the same snapshot, and the caller's
/// transaction does the waiting.
/// </summary>
internal static class SpinBeforeWaiting
{
    /// <summary>
    /// Outside a transaction, runs <paramref name="attempt"/> as its own transaction until it is done
    /// or the next spin would yield the thread; inside one, returns <see langword="false"/> at once.
    /// The caller then runs its blocking body, which attempts again before it waits.
    /// </summary>
    /// <typeparam name="TState">The state of the attempt (a value tuple, so that nothing is allocated).</typeparam>
    /// <typeparam name="TResult">What a successful attempt returns.</typeparam>
    /// <param name="state">Passed to <paramref name="attempt"/>.</param>
    /// <param name="attempt">A non-blocking attempt: whether it did its work, and its result; a static lambda.</param>
    /// <param name="result">The result of the attempt that did its work, or <c>default</c>.</param>
    /// <returns><see langword="true"/> if an attempt did its work.</returns>
    public static bool TryRun<TState, TResult>(TState state, Func<TState, (bool Done, TResult Result)> attempt, out TResult result)
    {
        if (!Atomic.InTransaction)
        {
            // No attempt at all where the first spin would already yield (a single processor): the
            // blocking run that follows makes the first attempt itself.
            SpinWait spinner = default;
            while (!spinner.NextSpinWillYield)
            {
                (bool done, result) = Transactional.Run(state, attempt);
                if (done)
                {
                    return true;
                }

                spinner.SpinOnce();
            }
        }

        result = default!;
        return false;
    }
}
