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
    /// <typeparam name="TSource">The queue or reader the items are taken from.</typeparam>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="source">Passed to <paramref name="tryTake"/> and <paramref name="takeOrEnd"/>.</param>
    /// <param name="tryTake">Takes an item if there is one, never waiting (for the spin before a wait).</param>
    /// <param name="takeOrEnd">Takes an item, reports the end (not found), or requests the wait.</param>
    /// <param name="member">The public member, for the error when a step runs inside a transaction.</param>
    /// <param name="cancellationToken">Checked before every step; ends a wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The items, in the order they were taken.</returns>
    public static IEnumerable<T> Consume<TSource, T>(
        TSource source,
        Func<TSource, (bool Found, T Item)> tryTake,
        Func<TSource, (bool Found, T Item)> takeOrEnd,
        string member,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            WaitOptions.ThrowIfConsumingInTransaction(member);
            cancellationToken.ThrowIfCancellationRequested();
            if (!SpinBeforeWaiting.TryRun(source, tryTake, out T item))
            {
                (bool found, item) = Transactional.Run(source, takeOrEnd, cancellationToken);
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
    /// <typeparam name="TSource">The queue or reader the items are taken from.</typeparam>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="source">Passed to <paramref name="takeOrEnd"/>.</param>
    /// <param name="takeOrEnd">Takes an item, reports the end (not found), or requests the wait.</param>
    /// <param name="member">The public member, for the error when a step runs inside a transaction.</param>
    /// <param name="cancellationToken">
    /// Checked before every step; ends a wait with <see cref="OperationCanceledException"/>. Combined
    /// by the compiler with the token given to <c>WithCancellation</c>.
    /// </param>
    /// <returns>The items, in the order they were taken.</returns>
    public static async IAsyncEnumerable<T> ConsumeAsync<TSource, T>(
        TSource source,
        Func<TSource, (bool Found, T Item)> takeOrEnd,
        string member,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            WaitOptions.ThrowIfConsumingInTransaction(member);
            cancellationToken.ThrowIfCancellationRequested();
            var (found, item) = await Transactional.RunAsync(source, takeOrEnd, cancellationToken).ConfigureAwait(false);
            if (!found)
            {
                yield break;
            }

            yield return item;
        }
    }
}
