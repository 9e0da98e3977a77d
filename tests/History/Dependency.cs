namespace Stm.Testing.History;

/// <summary>
/// An edge of the dependency graph: <see cref="From"/> must be serialized before <see cref="To"/>
/// because of what they did to <see cref="Key"/>. Immutable.
/// </summary>
public sealed class Dependency
{
    /// <summary>Creates an edge.</summary>
    /// <param name="from">The id of the transaction that must come first.</param>
    /// <param name="to">The id of the transaction that must come later.</param>
    /// <param name="kind">Why.</param>
    /// <param name="key">The key both touched.</param>
    /// <param name="explanation">A sentence that says why, naming the elements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="explanation"/> is null.</exception>
    public Dependency(int from, int to, DependencyKind kind, int key, string explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        From = from;
        To = to;
        Kind = kind;
        Key = key;
        Explanation = explanation;
    }

    /// <summary>The id of the transaction that must come first.</summary>
    public int From { get; }

    /// <summary>The id of the transaction that must come later.</summary>
    public int To { get; }

    /// <summary>Why.</summary>
    public DependencyKind Kind { get; }

    /// <summary>The key both transactions touched.</summary>
    public int Key { get; }

    /// <summary>A sentence that says why, naming the elements.</summary>
    public string Explanation { get; }

    /// <summary>The short label of the kind: <c>ww</c>, <c>wr</c>, <c>rw</c> or <c>rt</c>.</summary>
    public string Label => Kind switch
    {
        DependencyKind.WriteWrite => "ww",
        DependencyKind.WriteRead => "wr",
        DependencyKind.RealTime => "rt",
        _ => "rw",
    };

    /// <summary>Formats the edge as <c>T1 -rw-> T2: explanation</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{HistoryFormat.Transaction(From)} -{Label}-> {HistoryFormat.Transaction(To)}: {Explanation}";
}
