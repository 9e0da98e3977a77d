using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// <see cref="VersionRetention.Compact"/> on hand-built chains: it keeps exactly the versions live
/// snapshots read, and a snapshot it did not know about (a scan can miss one being published) finds
/// a gap or the end of the chain, never an older, wrong version.
/// </summary>
public sealed class VersionRetentionTests
{
    [Fact]
    public void Compact_KeepsTheNewestAndTheVersionEachLiveSnapshotReads()
    {
        VersionNode head = Chain(20, 16, 12, 8, 4);

        int kept = VersionRetention.Compact(head, [9, 13, 22]);

        Assert.Equal(3, kept);
        Assert.Equal(20, VersionFor(head, 22));
        Assert.Equal(12, VersionFor(head, 13));
        Assert.Equal(8, VersionFor(head, 9));
    }

    [Fact]
    public void Compact_SnapshotsItDidNotKnow_FindTheirVersionGoneInsteadOfAnOlderOne()
    {
        VersionNode head = Chain(20, 16, 12, 8, 4);

        VersionRetention.Compact(head, [9, 22]);

        // 16 and 12 went: snapshots between 12 and 19 must not be served version 8.
        Assert.Null(VersionFor(head, 12));
        Assert.Null(VersionFor(head, 17));
        Assert.Equal(8, VersionFor(head, 11));
        // Below 8 nothing is kept: the chain ends.
        Assert.Null(VersionFor(head, 5));
    }

    [Fact]
    public void Compact_Again_ReusesTheGapAboveAKeptVersion()
    {
        VersionNode head = Chain(20, 16, 12, 8, 4);
        VersionRetention.Compact(head, [9, 22]);
        VersionNode gap = head.Older!;
        var newer = new VersionNode<int> { Stamp = 24, Value = 24, Older = head };

        int kept = VersionRetention.Compact(newer, [9, 26]);

        Assert.Equal(2, kept);
        Assert.IsType<VersionGap>(newer.Older);
        Assert.Same(gap.Older, newer.Older!.Older);
        Assert.Equal(8, VersionFor(newer, 9));
        Assert.Null(VersionFor(newer, 21));
    }

    /// <summary>A chain of versions, newest first, each valued with its stamp.</summary>
    private static VersionNode Chain(params int[] stamps)
    {
        VersionNode? older = null;
        for (int i = stamps.Length - 1; i >= 0; i--)
        {
            older = new VersionNode<int> { Stamp = stamps[i], Value = stamps[i], Older = older };
        }

        return older!;
    }

    /// <summary>What a reader at <paramref name="snapshot"/> gets, as a transaction's walk does it: the value, or null if its version is gone.</summary>
    private static int? VersionFor(VersionNode head, long snapshot)
    {
        VersionNode? node = head;
        while (node is not null && node.Stamp > snapshot)
        {
            node = node.Older;
        }

        return node is VersionNode<int> version ? version.Value : null;
    }
}
