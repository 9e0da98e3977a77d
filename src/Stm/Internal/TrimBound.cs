namespace Stm.Internal;

/// <summary>
/// What one committing thread knows about the live snapshots: the bound below which no snapshot
/// reads (for the cheap cut of <see cref="TVarState.Publish"/>), and the last full scan (for
/// <see cref="VersionRetention.Compact"/>).
/// </summary>
/// <remarks>
/// Kept per thread, not shared: a shared cached bound was rewritten by every committer, and with
/// two threads committing to disjoint TVars that cache line (and the scans of each other's hot
/// snapshot slots) cost more than the commits themselves. A stale bound is only conservative: it
/// makes a committer scan, never keep too few versions.
/// </remarks>
internal struct TrimBound
{
    /// <summary>No snapshot that is running, or that starts later, reads below this (as of the last scan).</summary>
    internal long Oldest;

    /// <summary>The live snapshots of the last <see cref="ScanLive"/> (reused between scans).</summary>
    private long[]? _live;

    /// <summary>
    /// True if no live snapshot reads below <paramref name="stamp"/>: from the known bound, or else
    /// from one pass over the slots for their minimum (see <see cref="SnapshotRegistry.OldestLive"/>),
    /// which refreshes the bound. Cheaper than <see cref="ScanLive"/>, which collects and sorts them
    /// all: a thread that commits alone meets its own snapshot only, and cuts on this answer.
    /// </summary>
    internal bool NoSnapshotBelow(long stamp, long committingAt)
    {
        if (Oldest >= stamp)
        {
            return true;
        }

        long oldest = SnapshotRegistry.OldestLive(LowestNextSnapshot(committingAt));
        if (oldest > Oldest)
        {
            Oldest = oldest;
        }

        return oldest >= stamp;
    }

    /// <summary>
    /// Scans the snapshot slots for every live snapshot (see <see cref="SnapshotRegistry.ScanLive"/>),
    /// refreshes <see cref="Oldest"/> from it, and returns them in ascending order.
    /// </summary>
    internal ReadOnlySpan<long> ScanLive(long committingAt)
    {
        int count = SnapshotRegistry.ScanLive(ref _live, LowestNextSnapshot(committingAt));
        if (_live![0] > Oldest)
        {
            Oldest = _live[0];
        }

        return new ReadOnlySpan<long>(_live, 0, count);
    }

    /// <summary>
    /// The lowest snapshot a transaction that starts after this scan can have, for a committer
    /// publishing with <paramref name="committingAt"/>: one below its stamp. A later snapshot reads
    /// the counter at or past the stamp (or the odd value just below it while a sole commit holds
    /// it), or a hardware reading at or past the stamp's, which is <c>stamp - 1</c> or more. Costs
    /// nothing, where reading the hardware counter here would cost a reading per scan.
    /// </summary>
    private static long LowestNextSnapshot(long committingAt) => committingAt - 1;
}
