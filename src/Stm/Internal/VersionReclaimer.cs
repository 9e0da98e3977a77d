namespace Stm.Internal;

/// <summary>
/// Frees the old versions of TVars that nobody writes any more. A committer that has to keep old
/// versions for open snapshots hands the TVar over here; when a transaction or checkout whose
/// snapshot is old ends (it is what pinned them), the reclaimer compacts the watched chains
/// against the snapshots live then, and stops watching a TVar once it keeps only its newest
/// versions. So memory pinned by a snapshot is released when it closes, whether or not each TVar
/// is written again.
/// </summary>
/// <remarks>
/// Compacting a chain needs exclusive access to it, which committers get from the TVar's lock plus
/// a stamp, or from the clock. The reclaimer pauses the clock (see <see cref="VersionClock.TryPause"/>)
/// for one batch at a time and skips TVars locked by a committer, so no commit can publish into a
/// chain it is compacting. A paused clock holds back every commit, so batches are small. It runs on
/// the thread that closed the old snapshot (no timer or thread of its own). TVars are watched
/// through weak references: watching never keeps a TVar alive.
/// </remarks>
internal static class VersionReclaimer
{
    /// <summary>
    /// A snapshot this many stamps behind the clock when it closes is old enough to have pinned
    /// versions worth freeing at once (a younger one pins at most a few versions per TVar, which the
    /// next write or the next old snapshot's close frees).
    /// </summary>
    internal const long OldSnapshotStamps = 64 * VersionClock.StampStep;

    /// <summary>How many TVars one pause of the clock covers.</summary>
    private const int BatchSize = 64;

    /// <summary>A chain this short needs no watching: the newest version and the one it replaced.</summary>
    private const int VersionsNotWorthWatching = 2;

    /// <summary>A plain monitor (not System.Threading.Lock), so that systematic-testing tools can control it.</summary>
    private static readonly object s_gate = new();

    /// <summary>The watched TVars (guarded by <see cref="s_gate"/>).</summary>
    private static readonly List<WeakReference<ITVar>> s_watched = [];

    /// <summary>Non-zero while TVars are watched: one shared read when a transaction ends.</summary>
    private static int s_watching;

    /// <summary>
    /// The newest stamp below which a snapshot made a committer keep old versions: on the hardware
    /// time base (where stamps measure time, not commits) a closing snapshot below it is old.
    /// </summary>
    private static long s_pinnedBelow;

    /// <summary>
    /// Called when a snapshot taken at <paramref name="snapshot"/> closes: if TVars are watched and
    /// the snapshot is old, frees what it may have pinned.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static void SnapshotClosed(long snapshot)
    {
        if (Volatile.Read(ref s_watching) != 0 && VersionClock.IsOld(snapshot, OldSnapshotStamps, Volatile.Read(ref s_pinnedBelow)))
        {
            _ = ReclaimNow();
        }
    }

    /// <summary>
    /// Starts watching <paramref name="var"/> unless it is watched already, for a committer that kept
    /// old versions for snapshots below <paramref name="pinnedBelow"/> (rare: the committer just
    /// compacted the chain against every live snapshot).
    /// </summary>
    internal static void Watch(ITVar var, long pinnedBelow)
    {
        long known;
        while (pinnedBelow > (known = Volatile.Read(ref s_pinnedBelow))
            && Interlocked.CompareExchange(ref s_pinnedBelow, pinnedBelow, known) != known)
        {
        }

        if (Interlocked.CompareExchange(ref TVarState.Of(var).Watched, 1, 0) != 0)
        {
            return;
        }

        lock (s_gate)
        {
            s_watched.Add(new WeakReference<ITVar>(var));
            Volatile.Write(ref s_watching, 1);
        }
    }

    /// <summary>Compacts every watched TVar now; returns how many are still watched.</summary>
    internal static int ReclaimNow()
    {
        WeakReference<ITVar>[] watched;
        lock (s_gate)
        {
            watched = [.. s_watched];
        }

        var done = new List<WeakReference<ITVar>>();
        long[]? live = null;
        for (int start = 0; start < watched.Length; start += BatchSize)
        {
            int end = Math.Min(start + BatchSize, watched.Length);
            if (!TryCompactBatch(watched.AsSpan(start, end - start), done, ref live))
            {
                // A sole commit held the clock: leave the rest for the next round.
                break;
            }
        }

        lock (s_gate)
        {
            foreach (WeakReference<ITVar> reference in done)
            {
                s_watched.Remove(reference);
            }

            Volatile.Write(ref s_watching, s_watched.Count == 0 ? 0 : 1);
            return s_watched.Count;
        }
    }

    /// <summary>Compacts one batch with the clock paused; adds the TVars that need no more watching (or are gone) to <paramref name="done"/>.</summary>
    private static bool TryCompactBatch(ReadOnlySpan<WeakReference<ITVar>> batch, List<WeakReference<ITVar>> done, ref long[]? live)
    {
        if (!VersionClock.TryPause(out long stamp))
        {
            return false;
        }

        try
        {
            // The clock value counts as a live snapshot: transactions that start while it is paused read at it.
            int count = SnapshotRegistry.ScanLive(ref live, stamp);
            ReadOnlySpan<long> snapshots = new(live, 0, count);
            foreach (WeakReference<ITVar> reference in batch)
            {
                if (!reference.TryGetTarget(out ITVar? var))
                {
                    done.Add(reference);
                    continue;
                }

                ref TVarState state = ref TVarState.Of(var);
                if (state.IsLocked)
                {
                    // A locking committer may hold a stamp and be publishing: next round.
                    continue;
                }

                if (VersionRetention.Compact(state.CurrentVersion, snapshots) <= VersionsNotWorthWatching)
                {
                    Volatile.Write(ref state.Watched, 0);
                    done.Add(reference);
                }
            }
        }
        finally
        {
            VersionClock.Resume(stamp);
        }

        return true;
    }
}
