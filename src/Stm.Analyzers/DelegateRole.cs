namespace Stm.Analyzers;

/// <summary>What the method that receives a delegate does with it, as far as transactions go.</summary>
internal enum DelegateRole
{
    /// <summary>
    /// Nothing known: the delegate is taken to run where it is written (a LINQ query, <c>List.ForEach</c>,
    /// a local helper), so it shares the transaction status of the code around it.
    /// </summary>
    None,

    /// <summary>
    /// A transaction body: <c>Atomic.Run</c>, <c>TryRun</c>, <c>RunAsync</c> with a synchronous body,
    /// <c>OrElse</c>, the <c>Run</c>, <c>TryRun</c> and <c>RunAsync</c> of <c>Transactional</c> (a
    /// body that takes a state), <c>Checkout.Run</c>, and the update functions of <c>TVar.Modify</c>
    /// and <c>TVar.Commute</c>. It runs inside a transaction, possibly several times.
    /// </summary>
    TransactionBody,

    /// <summary>
    /// The body of <c>Atomic.RunAsync((checkout, cancellationToken) => ...)</c>: it may await, and only
    /// its <c>checkout.Run</c> blocks are inside the transaction.
    /// </summary>
    CheckoutBody,

    /// <summary>An <c>Atomic.AfterCommit</c> or <c>AfterRollback</c> handler: it runs after the attempt.</summary>
    Handler,

    /// <summary>Work for another thread (<c>Task.Run</c>, <c>Parallel.For</c>, <c>new Thread</c>...): never inside the caller's transaction.</summary>
    OtherThread,
}
