using System.Diagnostics;

namespace Stm.Internal;

/// <summary>
/// Which versions of a TVar are kept: the newest, and for each live snapshot the newest version at
/// or below it. Everything else is unlinked as soon as a committer (or the
/// <see cref="VersionReclaimer"/>) looks at the chain with the set of live snapshots in hand, so a
/// TVar keeps at most one version per live snapshot plus the newest, however long the snapshots
/// stay open and however often it is written.
/// </summary>
/// <remarks>
/// Only a thread with exclusive access to the chain compacts it: the holder of the TVar's commit
/// lock with a stamp, the holder of the clock in a sole commit, or the reclaimer holding the clock.
/// Readers walk the chain concurrently, on old links or new ones. A reader never meets a wrong
/// version: a reader takes the first node with a stamp at or below its snapshot, every original
/// link ends a version's life at the stamp of the node above it, and every new link passes through
/// a <see cref="VersionGap"/> stamped where the unlinked versions began. So a reader whose snapshot
/// the scan missed (its slot store not yet visible) stops at a gap or a cut link and re-runs.
/// </remarks>
internal static class VersionRetention
{
    /// <summary>
    /// Unlinks every version below <paramref name="head"/> that no snapshot in
    /// <paramref name="liveSnapshots"/> (ascending) reads, and returns how many versions remain.
    /// <paramref name="head"/> is always kept (the newest, or about to become it).
    /// </summary>
    /// <remarks>
    /// One loop of about 50 lines: it walks the chain and the snapshots (both newest first) in step,
    /// and the two cursors and the last kept node are its whole state.
    /// </remarks>
    internal static int Compact(VersionNode head, ReadOnlySpan<long> liveSnapshots)
    {
        int kept = 1;
        VersionNode keep = head;
        VersionNode above = head;
        VersionNode? candidate = head.Older;
        int next = liveSnapshots.Length - 1;
        while (candidate is not null)
        {
            // A version is the newest until the node above it: snapshots at or above that read newer ones.
            long end = above.Stamp;
            while (next >= 0 && liveSnapshots[next] >= end)
            {
                next--;
            }

            if (next < 0)
            {
                break;
            }

            if (candidate is not VersionGap && liveSnapshots[next] >= candidate.Stamp)
            {
                // Some snapshot reads `candidate`: keep it. If nodes between it and `keep` go, a gap
                // stamped where `candidate` stopped being the newest stops readers that needed them;
                // a gap already right above it has that stamp (no allocation while a snapshot stays open).
                if (!ReferenceEquals(keep.Older, candidate))
                {
                    VersionNode link = above is VersionGap ? above : new VersionGap(end, candidate);
                    if (!ReferenceEquals(keep.Older, link))
                    {
                        Volatile.Write(ref keep.Older, link);
                    }
                }

                keep = candidate;
                kept++;
            }

            above = candidate;
            candidate = candidate.Older;
        }

        // Nothing below `keep` is read by anyone (or what was is gone already). The first version of
        // a queue cell may be shared between TVars and is never written: its link is already null.
        if (keep.Older is not null)
        {
            Volatile.Write(ref keep.Older, null);
        }

        return kept;
    }

    /// <summary>Sorts the first <paramref name="count"/> values ascending (insertion sort: a handful of live snapshots).</summary>
    internal static void SortAscending(long[] values, int count)
    {
        for (int i = 1; i < count; i++)
        {
            long value = values[i];
            int j = i - 1;
            while (j >= 0 && values[j] > value)
            {
                values[j + 1] = values[j];
                j--;
            }

            values[j + 1] = value;
        }
    }
}
