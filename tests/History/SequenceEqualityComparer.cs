namespace Stm.Testing.History;

/// <summary>
/// Compares sequences element by element, for model states held in immutable collections
/// (<c>ImmutableQueue</c>, <c>ImmutableList</c>, ...) that compare by reference otherwise.
/// </summary>
/// <typeparam name="TSequence">The sequence type.</typeparam>
/// <typeparam name="TElement">The element type.</typeparam>
public sealed class SequenceEqualityComparer<TSequence, TElement> : IEqualityComparer<TSequence>
    where TSequence : IEnumerable<TElement>
{
    /// <summary>The comparer of the elements.</summary>
    private readonly IEqualityComparer<TElement> _elementComparer;

    /// <summary>Creates a comparer.</summary>
    /// <param name="elementComparer">The comparer of the elements; the default one when null.</param>
    public SequenceEqualityComparer(IEqualityComparer<TElement>? elementComparer = null) =>
        _elementComparer = elementComparer ?? EqualityComparer<TElement>.Default;

    /// <summary>Whether both sequences hold equal elements in the same order (or both are null).</summary>
    /// <param name="x">The first sequence.</param>
    /// <param name="y">The second sequence.</param>
    /// <returns><see langword="true"/> if they are equal.</returns>
    public bool Equals(TSequence? x, TSequence? y) =>
        x is null ? y is null : y is not null && x.SequenceEqual(y, _elementComparer);

    /// <summary>A hash of the elements in order.</summary>
    /// <param name="obj">The sequence.</param>
    /// <returns>The hash.</returns>
    public int GetHashCode(TSequence obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        foreach (var element in obj)
        {
            hash.Add(element, _elementComparer);
        }

        return hash.ToHashCode();
    }
}
