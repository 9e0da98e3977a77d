using System.Globalization;
using System.Text;

namespace Stm.Testing.History;

/// <summary>What <see cref="SerializabilityChecker.Check"/> found in a history. Immutable.</summary>
public sealed class SerializabilityReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="transactionCount">How many transactions were checked.</param>
    /// <param name="dependencyCount">How many dependency edges were inferred.</param>
    /// <param name="anomalies">The anomalies found.</param>
    /// <exception cref="ArgumentNullException"><paramref name="anomalies"/> is null.</exception>
    public SerializabilityReport(int transactionCount, int dependencyCount, IEnumerable<Anomaly> anomalies)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        TransactionCount = transactionCount;
        DependencyCount = dependencyCount;
        Anomalies = anomalies.ToArray();
    }

    /// <summary>How many transactions were checked.</summary>
    public int TransactionCount { get; }

    /// <summary>How many dependency edges were inferred between committed transactions.</summary>
    public int DependencyCount { get; }

    /// <summary>The anomalies found; empty when the history is serializable.</summary>
    public IReadOnlyList<Anomaly> Anomalies { get; }

    /// <summary>Whether no anomaly was found.</summary>
    public bool IsSerializable => Anomalies.Count == 0;

    /// <summary>Whether an anomaly of <paramref name="kind"/> was found.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> if one was found.</returns>
    public bool Has(AnomalyKind kind) => Anomalies.Any(a => a.Kind == kind);

    /// <summary>The names of the kinds found, each once, in the order of <see cref="AnomalyKind"/>.</summary>
    public IReadOnlyList<string> AnomalyNames =>
        [.. Anomalies.Select(a => a.Kind).Distinct().Order().Select(Anomaly.NameOf)];

    /// <summary>Formats the report: a summary line, then every anomaly with its explanation.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        if (IsSerializable)
        {
            builder.Append(CultureInfo.InvariantCulture, $"Serializable: {TransactionCount} transactions, {DependencyCount} dependencies, no anomaly.");
            return builder.ToString();
        }

        builder.Append(CultureInfo.InvariantCulture, $"NOT serializable: {TransactionCount} transactions, {Anomalies.Count} anomalies ({string.Join(", ", AnomalyNames)}).");
        foreach (var anomaly in Anomalies)
        {
            builder.AppendLine();
            builder.Append("- ").Append(anomaly.ToString());
        }

        return builder.ToString();
    }
}
