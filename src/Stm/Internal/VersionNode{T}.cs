namespace Stm.Internal;

/// <summary>A version of a <see cref="TVar{T}"/>: the value, after the type-independent stamp and link of <see cref="VersionNode"/>.</summary>
/// <typeparam name="T">The TVar's value type.</typeparam>
internal sealed class VersionNode<T> : VersionNode
{
    /// <summary>
    /// The initial version of every TVar created with the default value: that value, stamp 0, nothing
    /// older. Shared, so it is never written (see <see cref="TVarState.Publish"/>).
    /// </summary>
    internal static readonly VersionNode<T> SharedDefault = new();

    /// <summary>The value; mutated only while the node is still private to a write set.</summary>
    internal T Value = default!;
}
