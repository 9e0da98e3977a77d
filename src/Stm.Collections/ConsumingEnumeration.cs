using System.Runtime.CompilerServices;

namespace Stm.Collections;

/// <summary>
/// The consuming enumerations of the queues and channel readers (<c>GetConsumingEnumerable</c>,
/// <c>ReadAllAsync</c>): each step takes one item in a transaction of its own, waits while there is
/// none, and the enumeration ends when the source is completed and has nothing left for the caller.
/// </summary>
internal static class ConsumingEnumeration
{
    /// <summary>
    /// Takes items one per transaction, blocking the enumerating thread while there is none, until
    /// <paramref name="takeOrEnd"/> reports the end.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="tryTake">Takes an item if there is one, never waiting (for the spin before a wait).</param>
    /// <param name="takeOrEnd">Takes an item, reports the end (not found), or requests the wait.</param>
    /// <param name="member">The public member, for the error when a step runs inside a transaction.</param>
    /// <param name="cancellationToken">Checked before every step; ends a wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The items, in the order they were taken.</returns>
    public static IEnumerable<T> Consume<T>(
        Func<(bool Found, T Item)> tryTake, Func<(bool Found, T Item)> takeOrEnd, string member, CancellationToken cancellationToken)
    {
        while (true)
        {
            ThrowIfInTransaction(member);
            cancellationToken.ThrowIfCancellationRequested();
            var (found, item) = Spin(tryTake);
            if (!found)
            {
                (found, item) = Atomic.Run(takeOrEnd, cancellationToken);
                if (!found)
                {
                    yield break;
                }
            }

            yield return item;
        }
    }

    /// <summary>
    /// Takes items one per transaction, waiting without blocking a thread while there is none, until
    /// <paramref name="takeOrEnd"/> reports the end.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="takeOrEnd">Takes an item, reports the end (not found), or requests the wait.</param>
    /// <param name="member">The public member, for the error when a step runs inside a transaction.</param>
    /// <param name="cancellationToken">
    /// Checked before every step; ends a wait with <see cref="OperationCanceledException"/>. Combined
    /// by the compiler with the token given to <c>WithCancellation</c>.
    /// </param>
    /// <returns>The items, in the order they were taken.</returns>
    public static async IAsyncEnumerable<T> ConsumeAsync<T>(
        Func<(bool Found, T Item)> takeOrEnd, string member, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            ThrowIfInTransaction(member);
            cancellationToken.ThrowIfCancellationRequested();
            var (found, item) = await Atomic.RunAsync(takeOrEnd, cancellationToken).ConfigureAwait(false);
            if (!found)
            {
                yield break;
            }

            yield return item;
        }
    }

    /// <summary>
    /// A few non-blocking attempts with a short spin in between: with an active producer the item
    /// usually arrives within the spin, and parking and waking a thread costs far more.
    /// </summary>
    private static (bool Found, T Item) Spin<T>(Func<(bool Found, T Item)> tryTake)
    {
        SpinWait spinner = default;
        while (true)
        {
            var attempt = Atomic.Run(tryTake);
            if (attempt.Found || spinner.NextSpinWillYield)
            {
                return attempt;
            }

            spinner.SpinOnce();
        }
    }

    private static void ThrowIfInTransaction(string member)
    {
        if (Atomic.InTransaction)
        {
            ThrowHelper.ThrowConsumingInsideTransaction(member);
        }
    }
}
