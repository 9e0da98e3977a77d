using System.Diagnostics;

namespace CheckoutCommit;

/// <summary>
/// When the run is over. Workers look at it between jobs only: a job in hand is always finished
/// (committed), so the final audit can count on every job being either committed or never started.
/// </summary>
internal sealed class RunClock(TimeSpan duration)
{
    /// <summary>When the run started, as a <see cref="Stopwatch"/> timestamp.</summary>
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <summary>Whether the run's time is up.</summary>
    public bool IsOver => Stopwatch.GetElapsedTime(_start) >= duration;
}
