using Stm.Internal;

namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// Puts the engine on one time base setting for a benchmark case (a <c>[Params]</c> value:
/// <c>Adaptive</c>, <c>Counter</c> or <c>Hardware</c>), so one run compares them side by side.
/// </summary>
internal static class TimeBaseSetting
{
    /// <summary>The settings a time-base parameter takes.</summary>
    public static readonly string[] All = [nameof(TimeBaseChoice.Adaptive), nameof(TimeBaseChoice.Counter), nameof(TimeBaseChoice.Hardware)];

    /// <summary>Applies <paramref name="name"/>; throws, saying why, if it needs the hardware counter and this machine's check refused it.</summary>
    public static void Apply(string name)
    {
        TimeBaseChoice choice = Enum.Parse<TimeBaseChoice>(name, ignoreCase: true);
        if (choice != TimeBaseChoice.Counter && !HardwareClock.CheckNow())
        {
            throw new InvalidOperationException($"The {name} time base needs the hardware counter, which this machine's check refused: {HardwareClock.Refusal}");
        }

        VersionClock.UseTimeBase(choice);
    }
}
