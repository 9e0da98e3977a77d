using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// This thread's part in choosing the time base (see <see cref="VersionClock"/>): it counts the
/// commits that found the clock moved by others, and samples its hardware-time commits and
/// snapshots, which is how the adaptive setting notices that several threads commit, or that only
/// one does again.
/// </summary>
/// <remarks>
/// Owns <see cref="_clockMovedStreak"/>, <see cref="_foreignStamps"/>, <see cref="_hardwareEvents"/>,
/// <see cref="_lastSample"/>, <see cref="_quietSamples"/> and <see cref="_committedSinceSample"/>,
/// all written by this thread only: nothing here writes shared memory except one sample every
/// <see cref="VersionClock.SampleInterval"/> hardware-time commits or snapshots of a committing thread.
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

    /// <summary>This thread took a hardware stamp since its last sample.</summary>
    private bool _committedSinceSample;

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
        _committedSinceSample = true;
        NoteHardwareEvent();
    }

    /// <summary>A snapshot read the hardware counter.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void NoteHardwareSnapshot() => NoteHardwareEvent();

    /// <summary>
    /// Counts a hardware-time commit or snapshot, and every <see cref="VersionClock.SampleInterval"/>
    /// of them samples: as a committer if this thread committed since its last sample (its sample
    /// tells others it commits), otherwise as a reader (which keeps the hardware time base only while
    /// others commit on it).
    /// </summary>
    private void NoteHardwareEvent()
    {
        if (++_hardwareEvents >= VersionClock.SampleInterval)
        {
            _hardwareEvents = 0;
            VersionClock.Sample(_lockId, _committedSinceSample, ref _lastSample, ref _quietSamples);
            _committedSinceSample = false;
        }
    }
}
