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

    /// <summary>The stamps other threads took during the attempts of that streak.</summary>
    private long _foreignStamps;

    /// <summary>Hardware-time commits and snapshots since the last sample.</summary>
    private int _hardwareEvents;

    /// <summary>The sample word as this thread last saw it.</summary>
    private long _lastSample;

    /// <summary>Samples in a row that showed no other thread committing.</summary>
    private int _quietSamples;

    /// <summary>
    /// A commit found the counter moved by <paramref name="distance"/> since its snapshot: other
    /// threads committed meanwhile. After <see cref="VersionClock.MovedClocksBeforeHardware"/> such
    /// commits in a row, asks for the hardware time base if they met at least
    /// <see cref="VersionClock.ForeignCommitsForHardware"/> other commits each on average.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NoteClockMoved(long distance)
    {
        _foreignStamps += distance / VersionClock.StampStep;
        if (++_clockMovedStreak >= VersionClock.MovedClocksBeforeHardware)
        {
            bool crowded = _foreignStamps >= VersionClock.MovedClocksBeforeHardware * VersionClock.ForeignCommitsForHardware;
            _clockMovedStreak = 0;
            _foreignStamps = 0;
            if (crowded)
            {
                VersionClock.ConsiderHardware();
            }
        }
    }

    /// <summary>A commit found the counter where its snapshot left it: nobody else committed meanwhile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NoteClockUnmoved()
    {
        _clockMovedStreak = 0;
        _foreignStamps = 0;
    }

    /// <summary>
    /// An attempt lost a conflict: the threads touch the same TVars, whose lines travel between
    /// cores whatever the time base, and re-runs span other commits. Such commits say nothing about
    /// the clock's own cost, so the streak starts over.
    /// </summary>
    private void NoteDataConflict() => NoteClockUnmoved();

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
