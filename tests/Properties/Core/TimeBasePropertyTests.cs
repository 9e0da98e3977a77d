using FsCheck;
using FsCheck.Xunit;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// The generated list-append histories of <see cref="SerializabilityPropertyTests"/>, with the
/// version clock on the hardware time base, and on the adaptive setting while a thread switches
/// time bases as fast as it can under the transactions: the Elle-style checker must find every
/// history strictly serializable, aborted attempts included. Where this machine's check refuses the
/// processor's counter, the engine's fake counter stands in. Sequential: the setting is process-wide.
/// </summary>
[Collection(nameof(SeededBugCollection))]
public sealed class TimeBasePropertyTests
{
    [Property(MaxTest = 20, Arbitrary = [typeof(CoreArbitraries)])]
    public Property ListAppend_OnTheHardwareTimeBase_HistoryIsStrictlySerializable(ListAppendProgram program)
    {
        UseHardwareCounter();
        VersionClock.UseTimeBase(TimeBaseChoice.Hardware);
        try
        {
            return SerializabilityPropertyTests.RunAndCheck(program);
        }
        finally
        {
            VersionClock.UseTimeBase(TimeBaseChoice.Adaptive);
        }
    }

    [Property(MaxTest = 20, Arbitrary = [typeof(CoreArbitraries)])]
    public Property ListAppend_WhileTheClockSwitchesTimeBases_HistoryIsStrictlySerializable(ListAppendProgram program)
    {
        UseHardwareCounter();
        VersionClock.UseTimeBase(TimeBaseChoice.Adaptive);
        bool stop = false;
        var switcher = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                _ = VersionClock.UsesHardware ? VersionClock.TrySwitchToCounter() : VersionClock.TrySwitchToHardware();
                Thread.Sleep(0);
            }
        })
        { IsBackground = true, Name = "time base switcher" };
        switcher.Start();
        try
        {
            return SerializabilityPropertyTests.RunAndCheck(program);
        }
        finally
        {
            Volatile.Write(ref stop, true);
            Assert.True(switcher.Join(TimeSpan.FromSeconds(10)), "the switcher thread stopped");
            VersionClock.UseTimeBase(TimeBaseChoice.Adaptive);
        }
    }

    /// <summary>The processor's counter where the check passes, else the fake one (switched to while the counter is the time base).</summary>
    private static void UseHardwareCounter()
    {
        if (!HardwareClock.CheckNow() && !VersionClock.UsesHardware)
        {
            HardwareClock.UseFakeForTests();
        }
    }
}
