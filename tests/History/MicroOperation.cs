using System.Collections.Immutable;

namespace Stm.Testing.History;

/// <summary>
/// One step of a list-append transaction: a read of a key's whole list, or an append of a unique
/// element to a key's list. Immutable.
/// </summary>
public sealed class MicroOperation
{
    private MicroOperation(MicroOperationKind kind, int key, int element, ImmutableArray<int> observed)
    {
        Kind = kind;
        Key = key;
        Element = element;
        Observed = observed;
    }

    /// <summary>Whether this step is a read or an append.</summary>
    public MicroOperationKind Kind { get; }

    /// <summary>The key the step read or appended to.</summary>
    public int Key { get; }

    /// <summary>The appended element (an <see cref="MicroOperationKind.Append"/> only; 0 for a read).</summary>
    public int Element { get; }

    /// <summary>The whole list observed (a <see cref="MicroOperationKind.Read"/> only; empty for an append).</summary>
    public ImmutableArray<int> Observed { get; }

    /// <summary>Creates a read of <paramref name="key"/> that observed <paramref name="observed"/>.</summary>
    /// <param name="key">The key read.</param>
    /// <param name="observed">The list observed, oldest element first; it is copied.</param>
    /// <returns>The read step.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="observed"/> is null.</exception>
    public static MicroOperation Read(int key, IEnumerable<int> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return new MicroOperation(MicroOperationKind.Read, key, 0, [.. observed]);
    }

    /// <summary>Creates an append of <paramref name="element"/> to the list of <paramref name="key"/>.</summary>
    /// <param name="key">The key appended to.</param>
    /// <param name="element">The element; must be unique in the whole history.</param>
    /// <returns>The append step.</returns>
    public static MicroOperation Append(int key, int element) =>
        new(MicroOperationKind.Append, key, element, []);

    /// <summary>Formats the step as Elle does: <c>r 1 [2, 3]</c> or <c>append 1 4</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        Kind == MicroOperationKind.Read
            ? $"r {Key} {HistoryFormat.List(Observed)}"
            : $"append {Key} {Element}";
}
