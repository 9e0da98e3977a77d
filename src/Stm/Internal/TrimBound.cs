namespace Stm.Internal;

/// <summary>
/// What one committing thread knows about the oldest snapshot any transaction may still read: the
/// bound below which it cuts version chains (see <see cref="TVarState.Publish"/>).
/// </summary>
/// <remarks>
/// Kept per thread, not shared: a shared cached bound was rewritten by every committer, and with
/// two threads committing to disjoint TVars that cache line (and the scans of each other's hot
/// snapshot slots) cost more than the commits themselves. A stale bound is only conservative: it
/// keeps more versions, never too few.
/// </remarks>
internal struct TrimBound
{
    /// <summary>No snapshot that is running, or that starts later, reads below this (as of the last scan).</summary>
    internal long Oldest;

    /// <summary>
    /// How many more scans must see nobody else running before this thread assumes it runs alone
    /// again. A scan that sees another transaction refills it: with short transactions, another
    /// thread is between two of them at many scans, and a plain "seen at the last scan" flag made
    /// two busy threads scan (and miss on each other's slot lines) at every other commit.
    /// </summary>
    private int _scansUntilAlone;

    /// <summary>Scans without another transaction needed before chains are cut at every commit again.</summary>
    private const int QuietScansToBeAlone = 16;

    /// <summary>
    /// Returns a bound that is at least <paramref name="needAtLeast"/> if one can be had. Scans the
    /// snapshot slots only when the known bound is too low and either this thread seems to run
    /// alone (it then keeps one or two versions per TVar) or the chain has grown long.
    /// </summary>
    internal long AtLeast(long needAtLeast, bool chainIsLong)
    {
        if (Oldest >= needAtLeast || (_scansUntilAlone > 0 && !chainIsLong))
        {
            return Oldest;
        }

        long oldest = SnapshotRegistry.Scan(out bool othersActive);
        if (othersActive)
        {
            _scansUntilAlone = QuietScansToBeAlone;
        }
        else if (_scansUntilAlone > 0)
        {
            _scansUntilAlone--;
        }

        if (oldest > Oldest)
        {
            Oldest = oldest;
        }

        return Oldest;
    }
}
