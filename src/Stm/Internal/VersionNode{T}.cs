namespace Stm.Internal;

/// <summary>A version of a <see cref="TVar{T}"/>: the value, after the type-independent stamp and link of <see cref="VersionNode"/>.</summary>
/// <typeparam name="T">The TVar's value type.</typeparam>
internal sealed class VersionNode<T> : VersionNode
{
    /// <summary>The value; mutated only while the node is still private to a write set.</summary>
    internal T Value = default!;
}
