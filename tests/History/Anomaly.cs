namespace Stm.Testing.History;

/// <summary>One anomaly found in a history: its kind, its name, a readable explanation, and the cycle (if it is one). Immutable.</summary>
public sealed class Anomaly
{
    /// <summary>Creates an anomaly.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="transactions">The ids of the transactions involved (the cycle's, in cycle order).</param>
    /// <param name="cycle">The edges of the cycle, empty when the anomaly is not a cycle.</param>
    /// <param name="explanation">The readable explanation.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public Anomaly(AnomalyKind kind, IEnumerable<int> transactions, IEnumerable<Dependency> cycle, string explanation)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(explanation);
        Kind = kind;
        Transactions = transactions.ToArray();
        Cycle = cycle.ToArray();
        Explanation = explanation;
    }

    /// <summary>The kind.</summary>
    public AnomalyKind Kind { get; }

    /// <summary>The name used in reports, for example <c>G2 (anti-dependency cycle, write skew)</c>.</summary>
    public string Name => NameOf(Kind);

    /// <summary>The ids of the transactions involved (for a cycle, in cycle order).</summary>
    public IReadOnlyList<int> Transactions { get; }

    /// <summary>The edges of the cycle; empty when the anomaly is not a cycle.</summary>
    public IReadOnlyList<Dependency> Cycle { get; }

    /// <summary>The readable explanation.</summary>
    public string Explanation { get; }

    /// <summary>Returns the name used in reports for <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The name, for example <c>G-single (read skew)</c>.</returns>
    public static string NameOf(AnomalyKind kind) => kind switch
    {
        AnomalyKind.G0 => "G0 (write cycle)",
        AnomalyKind.G1a => "G1a (aborted read)",
        AnomalyKind.G1b => "G1b (intermediate read)",
        AnomalyKind.G1c => "G1c (circular information flow)",
        AnomalyKind.GSingle => "G-single (read skew)",
        AnomalyKind.G2 => "G2 (anti-dependency cycle, write skew)",
        AnomalyKind.LostUpdate => "lost update",
        AnomalyKind.DirtyRead => "dirty read",
        AnomalyKind.FracturedRead => "fractured read",
        AnomalyKind.IncompatibleOrder => "incompatible order",
        AnomalyKind.DuplicateElement => "duplicate element",
        AnomalyKind.Internal => "internal inconsistency",
        AnomalyKind.RealTime => "strict serializability violation (real-time cycle)",
        _ => kind.ToString(),
    };

    /// <summary>Formats the anomaly: its name, then its explanation.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name}: {Explanation}";
}
