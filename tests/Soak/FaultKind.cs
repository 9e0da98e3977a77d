namespace Stm.Soak;

/// <summary>Where an injected fault was thrown.</summary>
internal enum FaultKind
{
    /// <summary>From a transaction body, after some of its writes: the attempt must roll back and the exception reach the caller.</summary>
    Body,

    /// <summary>From an <c>AfterCommit</c> handler: the transaction has committed.</summary>
    AfterCommit,

    /// <summary>From an <c>AfterRollback</c> handler: the attempt had rolled back.</summary>
    AfterRollback,

    /// <summary>From a user delegate handed to a collection (factory, comparer, update function).</summary>
    UserDelegate,
}
