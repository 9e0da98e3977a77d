using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The time that priority grants are measured on (see <see cref="ContentionManager"/>): the
/// <see cref="Stopwatch"/>, except in a test process whose scenario drives the clock itself, where
/// it is a counter that moves only when the scenario advances it.
/// </summary>
/// <remarks>
/// <para>A driven clock makes a grant's end a step of the schedule rather than a moment of wall time,
/// so a systematic-testing tool (Coyote) can explore both endings of a hand-off: the holder commits
/// first, or its grant runs out first. While the clock is driven, a held-back committer parks without
/// a timeout (a timed wait is one that such a tool may never end) and is woken when the scenario
/// advances the clock.</para>
/// <para>Every read of the driven state is guarded by <see cref="TestHooks.Enabled"/>, a
/// <c>static readonly</c> field that is false outside the test projects: once compiled at tier 1,
/// <see cref="Now"/> is <see cref="Stopwatch.GetTimestamp"/> and <see cref="IsDriven"/> the constant
/// false.</para>
/// </remarks>
internal static class ContentionClock
{
    /// <summary>Whether a test drives the clock; read only behind <see cref="TestHooks.Enabled"/>.</summary>
    private static volatile bool s_driven;

    /// <summary>The driven clock's time, in <see cref="Stopwatch"/> ticks.</summary>
    private static long s_drivenNow;

    /// <summary>True while a test drives the clock (never in production).</summary>
    internal static bool IsDriven
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TestHooks.Enabled && s_driven;
    }

    /// <summary>Now, in <see cref="Stopwatch"/> ticks: the real timestamp, or the driven time while a test drives the clock.</summary>
    internal static long Now
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TestHooks.Enabled && s_driven ? Volatile.Read(ref s_drivenNow) : Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// From now on grants are measured on the driven clock, which starts at the current real time
    /// and moves only by <see cref="AdvancePastLongestGrant"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The process lacks the test switch (<see cref="TestHooks.SwitchName"/>).</exception>
    internal static void StartDriving()
    {
        if (!TestHooks.Enabled)
        {
            // Without the switch the clock would stay real: a test would drive nothing and prove nothing.
            throw new InvalidOperationException($"Driving the contention clock needs the AppContext switch {TestHooks.SwitchName}.");
        }

        Interlocked.Exchange(ref s_drivenNow, Stopwatch.GetTimestamp());
        s_driven = true;
    }

    /// <summary>Grants are measured on the real clock again; committers parked on the driven clock are woken to re-check.</summary>
    internal static void StopDriving()
    {
        s_driven = false;
        ContentionManager.WakeParkedCommitters();
    }

    /// <summary>
    /// Moves the driven clock past the end of any grant given so far (one longest grant and a
    /// millisecond), and wakes the parked committers so that they see it.
    /// </summary>
    internal static void AdvancePastLongestGrant()
    {
        Debug.Assert(IsDriven, "only a driven clock is advanced");
        Interlocked.Add(ref s_drivenNow, (ContentionManager.MaxGrantMilliseconds + 1) * Stopwatch.Frequency / 1000);
        ContentionManager.WakeParkedCommitters();
    }
}
