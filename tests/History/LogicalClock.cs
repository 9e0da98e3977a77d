namespace Stm.Testing.History;

/// <summary>
/// A shared monotonic counter used as the clock of invocation and response timestamps: every
/// <see cref="Next"/> returns a value greater than every value returned before it, on any thread.
/// Thread-safe and lock-free.
/// </summary>
public sealed class LogicalClock
{
    /// <summary>The last value handed out.</summary>
    private long _now;

    /// <summary>The last value handed out (0 before the first call).</summary>
    public long Now => Volatile.Read(ref _now);

    /// <summary>Advances the clock and returns the new time.</summary>
    /// <returns>A value greater than every value returned before.</returns>
    public long Next() => Interlocked.Increment(ref _now);
}
