namespace Stm.Analyzers;

/// <summary>The identifiers of the Stm analyzer rules; each has a page in <c>docs/analyzers</c>.</summary>
public static class StmDiagnosticIds
{
    /// <summary>A transaction body is asynchronous or returns a task.</summary>
    public const string AsyncTransactionBody = "STM0001";

    /// <summary>A compound assignment, <c>++</c> or <c>--</c> on transactional state outside a transaction.</summary>
    public const string ReadModifyWriteOutsideTransaction = "STM0002";

    /// <summary>A side effect (I/O, sleeping, locking, interlocked operations) inside a transaction body.</summary>
    public const string SideEffectInTransaction = "STM0003";

    /// <summary>Work started on another thread from inside a transaction body.</summary>
    public const string ThreadStartInTransaction = "STM0004";

    /// <summary>A <c>TVar&lt;T&gt;</c> created over a mutable collection or array.</summary>
    public const string MutableTVarValue = "STM0005";
}
