namespace Stm.Internal;

/// <summary>
/// Randomised exponential backoff after a conflict, so that transactions that keep colliding spread
/// out instead of colliding again in lock-step (livelock).
/// </summary>
internal static class Backoff
{
    private const int MaxExponent = 10;

    /// <summary>Pauses for a random time that grows with the number of conflicts so far.</summary>
    internal static void Pause(int conflicts)
    {
        if (conflicts <= 1)
        {
            return;
        }

        int limit = 1 << Math.Min(conflicts + 3, MaxExponent);
        Thread.SpinWait(Random.Shared.Next(limit));
        if (conflicts > 4)
        {
            // With more threads than cores the winner may not even be running: give it the core.
            Thread.Yield();
        }
    }
}
