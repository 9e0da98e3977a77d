using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Stm.Internal;

/// <summary>
/// The global version clock. A transaction takes its read version (its snapshot) from it when it
/// starts, and every committing update transaction takes a stamp from it that is above every
/// snapshot that started before. It has two time bases, and switches between them at run time.
/// </summary>
/// <remarks>
/// <para><b>The counter</b> (the default while one thread commits): a shared word that every
/// update commit moves on by one stamp. Stamps are even; an odd value means that a sole commit (or
/// the <see cref="VersionReclaimer"/>) holds the clock. Two ways to commit share it:</para>
/// <list type="bullet">
/// <item>A <b>sole commit</b>: an update that finds the clock still at its read version (nobody
/// committed since it started, the case of every transaction run on one thread), or that can move
/// its snapshot forward to the clock because nothing it read has changed, takes the clock itself
/// as a global commit lock, with one CAS from its read version to the odd value after it.
/// It needs no per-TVar locks and no read validation, publishes with the next stamp, and stores
/// that stamp, which releases the clock.</item>
/// <item>A <b>locking commit</b> (TL2-style): locks its written TVars, then takes the next stamp
/// with a CAS from an even value, waiting while the clock is odd.</item>
/// </list>
/// <para>While the clock is odd no other commit can take a stamp, so the sole committer is the
/// only one publishing anything newer than the odd value: snapshots taken meanwhile (odd read
/// versions) see none of its versions, and anything that must see every finished commit (a read
/// outside a transaction, a snapshot extension, a waiter's last check) waits for the clock to be
/// even again, which is a few stores away.</para>
/// <para><b>The hardware counter</b> (<see cref="HardwareClock"/>, while several threads commit):
/// the shared word only says that this time base is in use (<see cref="HardwareMode"/> set); a
/// snapshot is <c>2t + 1</c> and a stamp <c>2t + 2</c> for a fenced reading <c>t</c> of the
/// processor's counter, so a stamp is at or below a snapshot exactly when its reading came strictly
/// first. Commits write nothing shared: every commit locks, and waits for the counter to pass its
/// reading before it unlocks (<see cref="WaitPast"/>). The ordering argument is in
/// docs/architecture.md ("The hardware time base").</para>
/// <para><b>Switching</b> keeps every value the clock hands out above every stamp taken in the
/// other time base before: to the hardware counter, once its readings are above the counter
/// (one CAS); back to the counter, at a value above every reading taken before the switch (the
/// word is odd while that value is computed). Snapshots and stamps read from the hardware counter
/// count only if the word is unchanged after the reading, so a reading never straddles a switch.
/// The adaptive policy: a thread whose commits keep finding the clock moved by at least two other
/// commits each, with no conflict in between, switches to the hardware counter; a thread that,
/// sampling every <see cref="SampleInterval"/> of its commits (or snapshots), sees no other
/// thread's sample <see cref="QuietSamples"/> times in a row switches back.</para>
/// <para>The word sits alone on its own cache lines: every transaction reads it, and on the
/// counter every update commit writes it, so sharing a line with any other hot field would make
/// both slower.</para>
/// </remarks>
internal static class VersionClock
{
    /// <summary>The distance between two stamps (the odd value between them marks a sole commit).</summary>
    internal const long StampStep = 2;

    /// <summary>Set in the word while the hardware counter is the time base (every value handed out stays below it).</summary>
    internal const long HardwareMode = 1L << 62;

    /// <summary>Consecutive commits that found the clock moved by others before a thread considers the hardware counter.</summary>
    internal const int MovedClocksBeforeHardware = 16;

    /// <summary>
    /// The other threads' commits each of those commits must have met on average for the switch:
    /// two or more means at least three threads commit at once (or one was preempted mid-attempt
    /// while others committed). Two committing threads stay on the counter: on the 2-vCPU machine
    /// of docs/performance.md they commit no faster on the hardware counter, whose fenced readings
    /// cost about what the clock's cache-line trips do.
    /// </summary>
    internal const int ForeignCommitsForHardware = 2;

    /// <summary>How many of its hardware-time commits or snapshots a thread makes between two samples.</summary>
    internal const int SampleInterval = 256;

    /// <summary>Samples in a row that saw no other thread's sample before a thread switches back to the counter.</summary>
    internal const int QuietSamples = 16;

    /// <summary>The clock word, padded to keep it on a cache line of its own.</summary>
    private static PaddedCounter s_clock;

    /// <summary>The last sample (the sampler's lock id in the high half, a sequence number in the low half), on a line of its own.</summary>
    private static PaddedCounter s_lastSample;

    /// <summary>The time base setting (tests change it through <see cref="UseTimeBase"/>).</summary>
    private static int s_choice = (int)ReadChoice();

    /// <summary>Under the <c>hardware</c> setting, the clock starts on the hardware counter, after its check (run here, once per process).</summary>
    static VersionClock()
    {
        if (Choice == TimeBaseChoice.Hardware && HardwareClock.CheckNow())
        {
            _ = TrySwitchToHardware();
        }
    }

    /// <summary>The word as it is now: the newest counter stamp (odd while held), or <see cref="HardwareMode"/> set.</summary>
    internal static long Now => Volatile.Read(ref s_clock.Value);

    /// <summary>The time base setting in force.</summary>
    internal static TimeBaseChoice Choice => (TimeBaseChoice)Volatile.Read(ref s_choice);

    /// <summary>True while the hardware counter is the time base.</summary>
    internal static bool UsesHardware => IsHardware(Now);

    /// <summary>
    /// The clock once no sole commit is publishing, as a snapshot: every commit with a stamp at or
    /// below it has taken that stamp, and none that starts later can take one at or below it.
    /// </summary>
    internal static long NowSettled
    {
        get
        {
            long word = Now;
            if (IsHardware(word))
            {
                return HardwareSnapshot(settled: true);
            }

            return IsSoleCommitRunning(word) ? WaitUntilSettled() : word;
        }
    }

    /// <summary>True for an odd counter value: a sole commit is publishing (or the reclaimer paused the clock).</summary>
    internal static bool IsSoleCommitRunning(long clockValue) => (clockValue & 1) != 0;

    /// <summary>True if the word says the hardware counter is the time base (or the clock is switching away from it).</summary>
    internal static bool IsHardware(long word) => word >= HardwareMode;

    /// <summary>
    /// The read version of a snapshot that starts now: the counter as it is (odd while a sole commit
    /// publishes: its versions are above it), or a fenced hardware reading.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static long Snapshot()
    {
        long word = Now;
        return IsHardware(word) ? HardwareSnapshot(settled: false) : word;
    }

    /// <summary>
    /// True if <paramref name="snapshot"/> is old: at least <paramref name="stamps"/> counter stamps
    /// behind the counter or, on the hardware counter (where stamps measure time, not commits),
    /// below <paramref name="pinnedBelow"/>.
    /// </summary>
    internal static bool IsOld(long snapshot, long stamps, long pinnedBelow)
    {
        long word = Now;
        return IsHardware(word) ? snapshot < pinnedBelow : word - snapshot >= stamps;
    }

    /// <summary>Waits while a sole commit publishes (it locks no TVar): afterwards every commit that took a stamp holds its locks or has published.</summary>
    internal static void WaitForSoleCommit()
    {
        // A counter held odd only: the hardware time base has no sole commits, and a switch back is
        // a few instructions (no reading of the counter needed here, unlike a settled snapshot).
        SpinWait spin = default;
        long word;
        while (IsSoleCommitRunning(word = Now) && !IsHardware(word))
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>
    /// Takes the stamp of a locking commit (whose TVars are locked already, and which has published
    /// that it is taking a stamp): the next counter stamp (a CAS, waiting while the counter is held),
    /// or a hardware reading after a full fence. Either way every lock and store of the committer is
    /// visible before the stamp exists, which the commit protocol relies on.
    /// </summary>
    internal static WriteStamp TakeStamp(long readVersion)
    {
        SpinWait spin = default;
        while (true)
        {
            long word = Now;
            if (IsSoleCommitRunning(word))
            {
                // A sole commit, a pause or a switch: a few stores from done. Wait rather than fight over the line.
                spin.SpinOnce(sleep1Threshold: -1);
            }
            else if (!IsHardware(word))
            {
                if (Interlocked.CompareExchange(ref s_clock.Value, word + StampStep, word) == word)
                {
                    return new WriteStamp(word + StampStep, FollowsSnapshot: word == readVersion, IsHardware: false);
                }
            }
            else
            {
                // The commit-stamp store before this must be visible before the reading: a reader that
                // meets our lock with a snapshot above our stamp has to see that we are taking one.
                Interlocked.MemoryBarrier();
                long reading = HardwareClock.ReadFenced();
                if (Now == word)
                {
                    return new WriteStamp((2 * reading) + StampStep, FollowsSnapshot: false, IsHardware: true);
                }
            }
        }
    }

    /// <summary>
    /// For a commit with a hardware stamp, before it unlocks or wakes anyone: waits until the
    /// counter has passed the stamp's reading, so every snapshot taken after the commit is seen to
    /// end reads a later value and sees the commit. The commit's own work usually takes longer
    /// than one tick, so this is one reading.
    /// </summary>
    internal static void WaitPast(WriteStamp stamp)
    {
        Debug.Assert(stamp.IsHardware, "only hardware stamps need the counter to pass them");
        long reading = (stamp.Value - StampStep) / 2;
        while (HardwareClock.ReadUnfenced() <= reading)
        {
            Thread.SpinWait(1);
        }
    }

    /// <summary>
    /// Takes the clock for a sole commit if it still holds <paramref name="readVersion"/> (so nobody
    /// has committed since that snapshot): sets it to the odd value after it, with a full fence.
    /// The caller then publishes with <c>readVersion + StampStep</c> and calls <see cref="ReleaseSoleCommit"/>.
    /// Fails while the hardware counter is the time base (the word is never a read version then).
    /// </summary>
    internal static bool TryTakeForSoleCommit(long readVersion) =>
        !IsSoleCommitRunning(readVersion)
        && Interlocked.CompareExchange(ref s_clock.Value, readVersion + 1, readVersion) == readVersion;

    /// <summary>Ends a sole commit: the clock shows its stamp, and every version it published is visible before that.</summary>
    internal static void ReleaseSoleCommit(long stamp) => Volatile.Write(ref s_clock.Value, stamp);

    /// <summary>
    /// Holds the clock as a sole commit does, but to publish nothing: no commit can take a stamp
    /// until <see cref="Resume"/>. For the <see cref="VersionReclaimer"/>, which compacts chains
    /// that no committer may touch meanwhile. On the hardware counter, switches to the counter
    /// first (commits there write nothing shared, so nothing else could hold them back). Fails
    /// (never waits) if a sole commit holds the clock.
    /// </summary>
    internal static bool TryPause(out long stamp)
    {
        if (IsHardware(Now))
        {
            _ = TrySwitchToCounter();
        }

        stamp = Now;
        return !IsHardware(stamp) && TryTakeForSoleCommit(stamp);
    }

    /// <summary>
    /// Releases a clock held by <see cref="TryPause"/> at the stamp it showed before: nothing was
    /// published, and no version has an odd stamp, so snapshots taken meanwhile (at the odd value)
    /// read exactly what snapshots at the stamp read. Under the <c>hardware</c> setting, switches
    /// back to the hardware counter.
    /// </summary>
    internal static void Resume(long stamp)
    {
        Volatile.Write(ref s_clock.Value, stamp);
        if (Choice == TimeBaseChoice.Hardware)
        {
            _ = TrySwitchToHardware();
        }
    }

    /// <summary>
    /// Called by a thread whose commits found the clock moved by other threads
    /// <see cref="MovedClocksBeforeHardware"/> times in a row: switches to the hardware counter if
    /// the setting allows it and its check has passed (the first call starts the check).
    /// </summary>
    internal static void ConsiderHardware()
    {
        if (Choice != TimeBaseChoice.Counter && HardwareClock.IsUsable)
        {
            _ = TrySwitchToHardware();
        }
    }

    /// <summary>
    /// Called every <see cref="SampleInterval"/> hardware-time commits and snapshots of one thread;
    /// <paramref name="committing"/> if it committed since its last sample. A committer records its
    /// sample; a thread that finds only its own samples (or, reading only, no new sample)
    /// <see cref="QuietSamples"/> times in a row switches back to the counter under the adaptive setting.
    /// </summary>
    internal static void Sample(int lockId, bool committing, ref long lastSeen, ref int quietSamples)
    {
        long seen = Volatile.Read(ref s_lastSample.Value);
        bool quiet = committing ? seen == lastSeen || (seen >> 32) == lockId : seen == lastSeen;
        if (committing)
        {
            seen = ((long)lockId << 32) | (uint)((int)seen + 1);
            Volatile.Write(ref s_lastSample.Value, seen);
        }

        lastSeen = seen;
        quietSamples = quiet ? quietSamples + 1 : 0;
        if (quietSamples >= QuietSamples && Choice == TimeBaseChoice.Adaptive)
        {
            quietSamples = 0;
            _ = TrySwitchToCounter();
        }
    }

    /// <summary>
    /// Switches from the counter to the hardware counter, once its readings are above every counter
    /// stamp. Fails if the clock is held, already switched, or the counter is ahead of the readings.
    /// </summary>
    internal static bool TrySwitchToHardware()
    {
        long word = Now;
        if (IsHardware(word) || IsSoleCommitRunning(word) || !HardwareClock.IsUsable)
        {
            return false;
        }

        // Every later reading is at least this one, so every hardware value will be above the counter.
        if ((2 * HardwareClock.ReadFenced()) + 1 <= word)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref s_clock.Value, HardwareMode | word, word) == word;
    }

    /// <summary>
    /// Switches from the hardware counter to the counter, at an even value above every hardware
    /// value handed out before. The word is odd meanwhile, so nobody takes a stamp or a settled
    /// snapshot until the value is known.
    /// </summary>
    internal static bool TrySwitchToCounter()
    {
        long word = Now;
        if (!IsHardware(word) || IsSoleCommitRunning(word)
            || Interlocked.CompareExchange(ref s_clock.Value, word | 1, word) != word)
        {
            return false;
        }

        // A reading that counted was taken before our CAS, so it is at most this one; its stamp (2t + 2) is below 2t + 4.
        long reading = HardwareClock.ReadFenced();
        long counter = Math.Max(word & ~HardwareMode, (2 * reading) + (2 * StampStep));
        Debug.Assert((counter & 1) == 0 && counter < HardwareMode, "the counter resumes at an even value below the mode bit");
        Volatile.Write(ref s_clock.Value, counter);
        return true;
    }

    /// <summary>
    /// Sets the time base setting and switches to what it prefers while no thread commits: the
    /// counter, or for <c>hardware</c> the hardware counter (once its check has passed). For tests
    /// and benchmarks.
    /// </summary>
    internal static void UseTimeBase(TimeBaseChoice choice)
    {
        Volatile.Write(ref s_choice, (int)choice);
        SpinWait spin = default;
        if (choice != TimeBaseChoice.Hardware)
        {
            while (IsHardware(Now) && !TrySwitchToCounter())
            {
                spin.SpinOnce();
            }
        }
        else if (HardwareClock.CheckNow())
        {
            while (!IsHardware(Now) && !TrySwitchToHardware())
            {
                spin.SpinOnce();
            }
        }
    }

    /// <summary>A hardware snapshot that counts: the word unchanged across the reading (waiting while it switches). Falls back to the counter if it switched.</summary>
    private static long HardwareSnapshot(bool settled)
    {
        SpinWait spin = default;
        while (true)
        {
            long word = Now;
            if (!IsHardware(word))
            {
                return settled && IsSoleCommitRunning(word) ? WaitUntilSettled() : word;
            }

            if (IsSoleCommitRunning(word))
            {
                // Switching back to the counter: its first value is a few instructions away.
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            long reading = HardwareClock.ReadFenced();
            if (Now == word)
            {
                return (2 * reading) + 1;
            }
        }
    }

    private static long WaitUntilSettled()
    {
        SpinWait spin = default;
        long now;
        while (IsSoleCommitRunning(now = Now))
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return IsHardware(now) ? HardwareSnapshot(settled: true) : now;
    }

    private static TimeBaseChoice ReadChoice()
    {
        // The environment variable wins, so one process can be run on another time base without rebuilding it.
        string? value = Environment.GetEnvironmentVariable("STM_TIME_BASE") ?? AppContext.GetData("Stm.TimeBase") as string;
        return value?.Trim().ToUpperInvariant() switch
        {
            null or "" or "ADAPTIVE" => TimeBaseChoice.Adaptive,
            "COUNTER" => TimeBaseChoice.Counter,
            "HARDWARE" => TimeBaseChoice.Hardware,
            _ => throw new InvalidOperationException(
                $"The Stm time base setting (STM_TIME_BASE, or else the AppContext setting 'Stm.TimeBase') is '{value}'; use 'adaptive', 'counter' or 'hardware'."),
        };
    }

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct PaddedCounter
    {
        [FieldOffset(64)]
        public long Value;
    }
}
