namespace Stm.Testing.History;

/// <summary>One transaction of a list-append history: its id, its outcome and its steps. Immutable.</summary>
public sealed class RecordedTransaction
{
    /// <summary>Creates a recorded transaction.</summary>
    /// <param name="id">The id shown in reports as <c>T{id}</c>; unique in the history.</param>
    /// <param name="outcome">Whether it committed.</param>
    /// <param name="operations">Its steps in program order; copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="operations"/> is null or holds null.</exception>
    public RecordedTransaction(int id, TransactionOutcome outcome, IEnumerable<MicroOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var copy = operations.ToArray();
        if (Array.IndexOf(copy, null) >= 0)
        {
            throw new ArgumentNullException(nameof(operations), "The operations must not contain null.");
        }

        Id = id;
        Outcome = outcome;
        Operations = copy;
    }

    /// <summary>The id, shown in reports as <c>T{id}</c>.</summary>
    public int Id { get; }

    /// <summary>Whether the transaction committed.</summary>
    public TransactionOutcome Outcome { get; }

    /// <summary>The steps in program order.</summary>
    public IReadOnlyList<MicroOperation> Operations { get; }

    /// <summary>Formats the transaction as <c>T3 committed [r 1 [], append 1 4]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{HistoryFormat.Transaction(Id)} {(Outcome == TransactionOutcome.Committed ? "committed" : "aborted")} [{string.Join(", ", Operations)}]";
}
