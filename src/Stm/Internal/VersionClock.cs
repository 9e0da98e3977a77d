using System.Runtime.InteropServices;

namespace Stm.Internal;

/// <summary>
/// The global version clock. A transaction samples it when it starts (its read version) and every
/// committing update transaction moves it on by one stamp. Stamps are even; an odd value means
/// that a sole commit is publishing (see <see cref="TryTakeForSoleCommit"/>).
/// </summary>
/// <remarks>
/// <para>Two ways to commit share the clock:</para>
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
/// <para>The counter sits alone on its own cache lines: every update commit writes it and every
/// transaction reads it, so sharing a line with any other hot field would make both slower.</para>
/// </remarks>
internal static class VersionClock
{
    /// <summary>The distance between two stamps (the odd value between them marks a sole commit).</summary>
    internal const long StampStep = 2;

    /// <summary>The clock value, padded to keep it on a cache line of its own.</summary>
    private static PaddedCounter s_clock;

    /// <summary>The clock as it is now: the newest stamp taken, or an odd value while a sole commit publishes.</summary>
    internal static long Now => Volatile.Read(ref s_clock.Value);

    /// <summary>The clock once no sole commit is publishing: every commit with a stamp at or below it has taken that stamp.</summary>
    internal static long NowSettled
    {
        get
        {
            long now = Now;
            return IsSoleCommitRunning(now) ? WaitUntilSettled() : now;
        }
    }

    /// <summary>True for an odd clock value: a sole commit is publishing.</summary>
    internal static bool IsSoleCommitRunning(long clockValue) => (clockValue & 1) != 0;

    /// <summary>
    /// Takes the next stamp for a locking commit (whose TVars are locked already). A full fence,
    /// which the commit protocol relies on. Waits while a sole commit holds the clock.
    /// </summary>
    internal static long Advance()
    {
        SpinWait spin = default;
        while (true)
        {
            long now = Now;
            if (IsSoleCommitRunning(now))
            {
                // A few stores from done: wait for it rather than fight over the line.
                spin.SpinOnce(sleep1Threshold: -1);
            }
            else if (Interlocked.CompareExchange(ref s_clock.Value, now + StampStep, now) == now)
            {
                return now + StampStep;
            }
        }
    }

    /// <summary>
    /// Takes the clock for a sole commit if it still holds <paramref name="readVersion"/> (so nobody
    /// has committed since that snapshot): sets it to the odd value after it, with a full fence.
    /// The caller then publishes with <c>readVersion + StampStep</c> and calls <see cref="ReleaseSoleCommit"/>.
    /// </summary>
    internal static bool TryTakeForSoleCommit(long readVersion) =>
        !IsSoleCommitRunning(readVersion)
        && Interlocked.CompareExchange(ref s_clock.Value, readVersion + 1, readVersion) == readVersion;

    /// <summary>Ends a sole commit: the clock shows its stamp, and every version it published is visible before that.</summary>
    internal static void ReleaseSoleCommit(long stamp) => Volatile.Write(ref s_clock.Value, stamp);

    /// <summary>
    /// Holds the clock as a sole commit does, but to publish nothing: no commit can take a stamp
    /// until <see cref="Resume"/>. For the <see cref="VersionReclaimer"/>, which compacts chains
    /// that no committer may touch meanwhile. Fails (never waits) if a sole commit holds it.
    /// </summary>
    internal static bool TryPause(out long stamp)
    {
        stamp = Now;
        return TryTakeForSoleCommit(stamp);
    }

    /// <summary>
    /// Releases a clock held by <see cref="TryPause"/> at the stamp it showed before: nothing was
    /// published, and no version has an odd stamp, so snapshots taken meanwhile (at the odd value)
    /// read exactly what snapshots at the stamp read.
    /// </summary>
    internal static void Resume(long stamp) => Volatile.Write(ref s_clock.Value, stamp);

    private static long WaitUntilSettled()
    {
        SpinWait spin = default;
        long now;
        while (IsSoleCommitRunning(now = Now))
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return now;
    }

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct PaddedCounter
    {
        [FieldOffset(64)]
        public long Value;
    }
}
