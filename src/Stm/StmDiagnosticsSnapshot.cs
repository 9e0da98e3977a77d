using System.Globalization;
using System.Text;

namespace Stm;

/// <summary>What <see cref="StmDiagnostics.GetSnapshot"/> found: the waiting transactions and the most conflicted TVars.</summary>
public sealed record StmDiagnosticsSnapshot
{
    /// <summary>Conflicted TVars listed by <see cref="ToString"/>; the list itself has them all.</summary>
    private const int ConflictsInText = 10;

    internal StmDiagnosticsSnapshot(DateTime timestamp, IReadOnlyList<WaitingTransaction> waitingTransactions, IReadOnlyList<TVarConflicts> mostConflictedTVars)
    {
        Timestamp = timestamp;
        WaitingTransactions = waitingTransactions;
        MostConflictedTVars = mostConflictedTVars;
    }

    /// <summary>When (UTC) the snapshot was taken.</summary>
    public DateTime Timestamp { get; }

    /// <summary>The transactions waiting in <see cref="Atomic.Retry"/>, longest waiting first.</summary>
    public IReadOnlyList<WaitingTransaction> WaitingTransactions { get; }

    /// <summary>
    /// The TVars that aborted attempts were attributed to, most conflicts first: the rows of a bounded
    /// table (a few hundred TVars) that keeps the TVars which conflict most.
    /// </summary>
    public IReadOnlyList<TVarConflicts> MostConflictedTVars { get; }

    /// <summary>A short report: one line per waiting transaction, then the most conflicted TVars.</summary>
    /// <returns>A multi-line report.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(WaitingTransactions.Count.ToString(CultureInfo.InvariantCulture)).Append(" transaction(s) waiting in Retry");
        foreach (WaitingTransaction waiting in WaitingTransactions)
        {
            text.AppendLine().Append("  ").Append(waiting);
        }

        text.AppendLine().Append("Most conflicted TVars:");
        for (int i = 0; i < MostConflictedTVars.Count && i < ConflictsInText; i++)
        {
            text.AppendLine().Append("  ").Append(MostConflictedTVars[i]);
        }

        return text.ToString();
    }
}
