namespace Stm.Internal;

/// <summary>
/// One committed version of a TVar's value, or, while it sits in a write set, the pending value
/// that the commit will publish as-is (so a commit allocates nothing else). This base holds the
/// parts that do not depend on the value type, so the commit protocol (publishing, cutting old
/// versions, validation) is one non-generic code path for TVars of every type.
/// </summary>
/// <remarks>
/// Versions form a singly linked list from newest to oldest with strictly decreasing stamps.
/// Committers keep only the versions some running snapshot can still read (see
/// <see cref="VersionRetention"/>): the newest, and for each live snapshot the newest version at or
/// below it; versions in between are unlinked, leaving a <see cref="VersionGap"/>. Kept small
/// (header, stamp, link, value): every commit allocates one per written TVar.
/// </remarks>
internal abstract class VersionNode
{
    /// <summary>The commit stamp; set once, before the node is published.</summary>
    internal long Stamp;

    /// <summary>
    /// The next older version still kept, a <see cref="VersionGap"/> where versions were unlinked, or
    /// null (always a node of the same value type, or a gap). Written with release semantics once published.
    /// </summary>
    internal VersionNode? Older;
}
