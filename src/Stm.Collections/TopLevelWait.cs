namespace Stm.Collections;

/// <summary>
/// Turns the outcome of a non-blocking attempt into the body of a blocking operation run as its own
/// top-level transaction: when the attempt found nothing (or no room), the transaction waits through
/// <see cref="Atomic.RequestRetry"/>, which spares the blocked caller the cost of a thrown and caught
/// retry signal. Only for bodies that return right after the call; inside a caller's transaction the
/// blocking members call <see cref="Atomic.Retry"/>, which unwinds the caller's code at once.
/// </summary>
internal static class TopLevelWait
{
    /// <summary>The item the attempt found; if it found none, requests the wait (the item is then ignored).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="attempt">Whether the attempt found an item, and the item.</param>
    /// <returns>The item.</returns>
    public static T ItemOrWait<T>((bool Found, T Item) attempt)
    {
        if (!attempt.Found)
        {
            Atomic.RequestRetry();
        }

        return attempt.Item;
    }

    /// <summary>Requests the wait unless the attempt succeeded.</summary>
    /// <param name="succeeded">Whether the attempt did its work.</param>
    public static void UnlessDone(bool succeeded)
    {
        if (!succeeded)
        {
            Atomic.RequestRetry();
        }
    }
}
