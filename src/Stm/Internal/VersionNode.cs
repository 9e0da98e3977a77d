namespace Stm.Internal;

/// <summary>
/// One committed version of a <see cref="TVar{T}"/>'s value, or, while it sits in a write set,
/// the pending value that the commit will publish as-is (so a commit allocates nothing else).
/// </summary>
/// <remarks>
/// Versions form a singly linked list from newest to oldest with strictly decreasing stamps.
/// Committers cut the list below the newest version that the oldest running snapshot can see,
/// so a TVar written a million times with no old readers keeps one or two versions. Kept as
/// small as possible (header, value, stamp, link): every commit allocates one per written TVar.
/// </remarks>
internal sealed class VersionNode<T>
{
    /// <summary>The value; mutated only while the node is still private to a write set.</summary>
    internal T Value = default!;

    /// <summary>The commit stamp; set once, before the node is published.</summary>
    internal long Stamp;

    /// <summary>The next older version still kept, or null.</summary>
    internal VersionNode<T>? Older;
}
