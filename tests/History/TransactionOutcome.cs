namespace Stm.Testing.History;

/// <summary>How a recorded transaction ended.</summary>
public enum TransactionOutcome
{
    /// <summary>The transaction committed: its appends are visible to later transactions.</summary>
    Committed,

    /// <summary>The transaction (or one attempt of it) rolled back: no one may ever observe its appends.</summary>
    Aborted,
}
