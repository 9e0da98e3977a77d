using Stm.Internal;

namespace Stm.Tests.Coyote;

/// <summary>
/// Drives the engine's contention clock (<see cref="ContentionClock"/>) for the length of a
/// <c>using</c> block, so that a priority grant ends only when a scenario advances the clock: a step
/// of the schedule Coyote explores rather than a moment of wall time. Process-wide, like a planted bug:
/// only tests that run alone may drive it (this assembly runs its tests one at a time).
/// </summary>
internal sealed class DrivenContentionClock : IDisposable
{
    /// <summary>Initializes a new instance of the <see cref="DrivenContentionClock"/> class, driving the clock.</summary>
    private DrivenContentionClock() => ContentionClock.StartDriving();

    /// <summary>Starts driving the clock until the returned scope is disposed.</summary>
    /// <returns>The scope.</returns>
    public static DrivenContentionClock Start() => new();

    /// <summary>Hands the clock back to the real time.</summary>
    public void Dispose() => ContentionClock.StopDriving();
}
