namespace Stm.Internal;

/// <summary>One TVar written (or commuted) by the current attempt.</summary>
internal struct WriteEntry
{
    internal ITVar Var;

    /// <summary>The pending <c>VersionNode&lt;T&gt;</c>: the value to publish, published as-is at commit.</summary>
    internal VersionNode Node;

    /// <summary>Pending commutes (see <c>CommuteList&lt;T&gt;</c>) to apply at commit, or null for an ordinary write.</summary>
    internal object? Commutes;

    /// <summary>The nesting depth whose scope created <see cref="Node"/>/<see cref="Commutes"/>; deeper scopes copy before changing them.</summary>
    internal int Scope;
}
