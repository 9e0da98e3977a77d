namespace Stm.Testing.History;

/// <summary>
/// An immutable set of operation indices (which operations are linearized), compared by content;
/// half of the memoisation key of <see cref="LinearizabilityChecker"/>.
/// </summary>
internal sealed class LinearizationSet : IEquatable<LinearizationSet>
{
    /// <summary>The bits, 64 operations a word.</summary>
    private readonly ulong[] _words;

    /// <summary>The hash of <see cref="_words"/>, computed once.</summary>
    private readonly int _hash;

    /// <summary>Creates an empty set able to hold <paramref name="capacity"/> operations.</summary>
    public LinearizationSet(int capacity)
        : this(new ulong[(capacity + 63) / 64])
    {
    }

    /// <summary>Wraps <paramref name="words"/> (owned from now on).</summary>
    private LinearizationSet(ulong[] words)
    {
        _words = words;
        var hash = new HashCode();
        foreach (var word in words)
        {
            hash.Add(word);
        }

        _hash = hash.ToHashCode();
    }

    /// <summary>A copy with <paramref name="index"/> added.</summary>
    public LinearizationSet With(int index)
    {
        var words = (ulong[])_words.Clone();
        words[index >> 6] |= 1UL << (index & 63);
        return new LinearizationSet(words);
    }

    /// <inheritdoc/>
    public bool Equals(LinearizationSet? other) =>
        other is not null && _hash == other._hash && _words.AsSpan().SequenceEqual(other._words);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as LinearizationSet);

    /// <inheritdoc/>
    public override int GetHashCode() => _hash;
}
