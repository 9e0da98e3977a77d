namespace Stm.Soak;

/// <summary>How one transaction run by a worker ended, as far as the workload's bookkeeping is concerned.</summary>
internal enum TransactionOutcome
{
    /// <summary>It committed (the call returned, or only an <c>AfterCommit</c> handler threw).</summary>
    Committed,

    /// <summary>Nothing was committed (a body or rollback fault, a cancellation or a timeout).</summary>
    NotCommitted,
}
