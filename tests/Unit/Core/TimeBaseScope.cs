using Stm.Internal;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Puts the version clock on one time base setting for a test and restores the previous setting
/// afterwards. Only for tests in <see cref="SequentialCoreCollection"/>: the setting is process-wide.
/// </summary>
internal sealed class TimeBaseScope : IDisposable
{
    private readonly TimeBaseChoice _previous = VersionClock.Choice;

    private TimeBaseScope(TimeBaseChoice choice) => VersionClock.UseTimeBase(choice);

    /// <summary>
    /// True if the hardware time base runs on the processor's counter here; false if its check
    /// refused the counter, in which case <see cref="Use"/> puts it on the engine's fake counter
    /// for tests, so the hardware protocol is still exercised.
    /// </summary>
    public static bool RealCounter { get; } = HardwareClock.CheckNow();

    public static TimeBaseScope Use(TimeBaseChoice choice)
    {
        if (choice != TimeBaseChoice.Counter && !RealCounter && !VersionClock.UsesHardware)
        {
            HardwareClock.UseFakeForTests();
        }

        return new TimeBaseScope(choice);
    }

    public void Dispose() => VersionClock.UseTimeBase(_previous);
}
