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
        : this(id, outcome, operations, 0, 0)
    {
    }

    /// <summary>Creates a recorded transaction with real-time bounds, for strict serializability checks.</summary>
    /// <param name="id">The id shown in reports as <c>T{id}</c>; unique in the history.</param>
    /// <param name="outcome">Whether it committed.</param>
    /// <param name="operations">Its steps in program order; copied.</param>
    /// <param name="invoked">A timestamp taken before the transaction was started (before <c>Atomic.Run</c>); 0 when unknown.</param>
    /// <param name="completed">A timestamp taken after it committed (in <c>AfterCommit</c>); 0 when unknown.</param>
    /// <exception cref="ArgumentNullException"><paramref name="operations"/> is null or holds null.</exception>
    public RecordedTransaction(int id, TransactionOutcome outcome, IEnumerable<MicroOperation> operations, long invoked, long completed)
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
        Invoked = invoked;
        Completed = completed;
    }

    /// <summary>A timestamp taken before the transaction started; 0 when unknown.</summary>
    public long Invoked { get; }

    /// <summary>A timestamp taken after it committed; 0 when unknown.</summary>
    public long Completed { get; }

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
