namespace Stm.Internal;

/// <summary>
/// Stands in a version chain where versions were unlinked: its stamp is the lowest stamp among
/// them, and it links to the next older version kept. It holds no value and is never read: a
/// snapshot whose walk stops at it (its stamp is at or below the read version) needed one of the
/// unlinked versions, so the read fails and the attempt re-runs instead of reading an older,
/// wrong version.
/// </summary>
internal sealed class VersionGap : VersionNode
{
    internal VersionGap(long stamp, VersionNode older)
    {
        Stamp = stamp;
        Older = older;
    }
}
