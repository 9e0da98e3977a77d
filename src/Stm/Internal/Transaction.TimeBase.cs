using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// This thread's part in choosing the time base (see <see cref="VersionClock"/>): it counts the
/// commits that found the clock moved by others, and samples its hardware-time commits and
/// snapshots, which is how the adaptive setting notices that several threads commit, or that only
/// one does again.
/// </summary>
/// <remarks>
/// Owns <see cref="_clockMovedStreak"/>, <see cref="_hardwareEvents"/>, <see cref="_lastSample"/>
/// and <see cref="_quietSamples"/>, all written by this thread only: nothing here writes shared
/// memory except one sample every <see cref="VersionClock.SampleInterval"/> hardware-time commits.
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>Consecutive commits of this thread that found the counter moved since their snapshot.</summary>
    private int _clockMovedStreak;

    /// <summary>Hardware-time commits and snapshots since the last sample.</summary>
    private int _hardwareEvents;

    /// <summary>The sample word as this thread last saw it.</summary>
    private long _lastSample;

    /// <summary>Samples in a row that showed no other thread committing.</summary>
    private int _quietSamples;

    /// <summary>A commit found the counter moved since its snapshot: another thread committed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NoteClockMoved()
    {
        if (++_clockMovedStreak >= VersionClock.MovedClocksBeforeHardware)
        {
            _clockMovedStreak = 0;
            VersionClock.ConsiderHardware();
        }
    }

    /// <summary>A commit took a hardware stamp.</summary>
    private void NoteHardwareCommit()
    {
        if (++_hardwareEvents >= VersionClock.SampleInterval)
        {
            _hardwareEvents = 0;
            VersionClock.Sample(_lockId, committing: true, ref _lastSample, ref _quietSamples);
        }
    }

    /// <summary>A snapshot read the hardware counter (a read-only thread keeps the hardware time base only while others commit on it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void NoteHardwareSnapshot()
    {
        if (++_hardwareEvents >= VersionClock.SampleInterval)
        {
            _hardwareEvents = 0;
            VersionClock.Sample(_lockId, committing: false, ref _lastSample, ref _quietSamples);
        }
    }
}
