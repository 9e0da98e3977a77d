using Microsoft.CodeAnalysis;

namespace Stm.Analyzers;

/// <summary>The descriptors of the Stm analyzer rules, one per rule.</summary>
internal static class StmDiagnostics
{
    private const string UsageCategory = "Usage";
    private const string ReliabilityCategory = "Reliability";
    private const string DesignCategory = "Design";

    /// <summary>STM0001: an asynchronous transaction body.</summary>
    public static readonly DiagnosticDescriptor AsyncTransactionBody = new(
        StmDiagnosticIds.AsyncTransactionBody,
        title: "A transaction body must be synchronous",
        messageFormat: "The body passed to '{0}' is asynchronous or returns a task; a transaction cannot span an await, so everything after the first await would run outside the transaction",
        category: UsageCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Atomic.Run, TryRun, RunAsync, OrElse, the Run, TryRun and RunAsync of Transactional, and Checkout.Run run their body synchronously on the calling thread. An async lambda passed as an Action becomes async void and returns at its first await; one passed as a Func<Task> is rejected at run time. Use the checkout overload Atomic.RunAsync((checkout, cancellationToken) => ...) to await between synchronous blocks.",
        helpLinkUri: HelpLink(StmDiagnosticIds.AsyncTransactionBody));

    /// <summary>STM0002: a read-modify-write of transactional state outside a transaction.</summary>
    public static readonly DiagnosticDescriptor ReadModifyWriteOutsideTransaction = new(
        StmDiagnosticIds.ReadModifyWriteOutsideTransaction,
        title: "Read-modify-write of transactional state outside a transaction",
        messageFormat: "'{0}' reads and then writes '{1}' as two separate steps outside a transaction, so an update made by another thread in between is lost; run it inside Atomic.Run",
        category: ReliabilityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Outside a transaction each read and each write of a TVar, TArray element or TMap entry is its own transaction, so a compound assignment, ++ or -- there loses concurrent updates (and TVar.Value's setter throws outside a transaction). Wrap the update in Atomic.Run, or use TVar.Modify.",
        helpLinkUri: HelpLink(StmDiagnosticIds.ReadModifyWriteOutsideTransaction));

    /// <summary>STM0003: a side effect inside a transaction body.</summary>
    public static readonly DiagnosticDescriptor SideEffectInTransaction = new(
        StmDiagnosticIds.SideEffectInTransaction,
        title: "Side effect inside a transaction body",
        messageFormat: "'{0}' inside a transaction body is not undone on rollback and happens again each time the body is re-run after a conflict; move it out of the body or into Atomic.AfterCommit",
        category: ReliabilityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A transaction body may run several times before it commits, and an attempt may be rolled back. Console, file and network I/O, Thread.Sleep, locks, Monitor and Interlocked operations inside it are neither rolled back nor run once. Do such work after the transaction, or register it with Atomic.AfterCommit.",
        helpLinkUri: HelpLink(StmDiagnosticIds.SideEffectInTransaction));

    /// <summary>STM0004: work started on another thread inside a transaction body.</summary>
    public static readonly DiagnosticDescriptor ThreadStartInTransaction = new(
        StmDiagnosticIds.ThreadStartInTransaction,
        title: "Work started on another thread inside a transaction body",
        messageFormat: "'{0}' starts work on another thread from inside a transaction body; that work is not part of the transaction and is started again each time the body is re-run",
        category: ReliabilityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A transaction belongs to the thread that runs its body. Work handed to Task.Run, a TaskFactory, Parallel, the ThreadPool or a new Thread runs outside the transaction: its TVar reads and writes are separate transactions, and it is started once per attempt even if the transaction never commits. Start it after the transaction, or from Atomic.AfterCommit.",
        helpLinkUri: HelpLink(StmDiagnosticIds.ThreadStartInTransaction));

    /// <summary>STM0005: a TVar over a mutable collection or array.</summary>
    public static readonly DiagnosticDescriptor MutableTVarValue = new(
        StmDiagnosticIds.MutableTVarValue,
        title: "TVar holds a mutable collection",
        messageFormat: "'{0}' holds a mutable collection: changes made to it in place bypass the transaction and are not rolled back; store {1} instead",
        category: DesignCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A TVar tracks which object it refers to, not the state inside that object. Adding to a List<T> or setting an array element held in a TVar is invisible to the transaction: it is not isolated, not rolled back and not seen as a conflict. Store an immutable collection and replace it on every change, or use a collection from Stm.Collections.",
        helpLinkUri: HelpLink(StmDiagnosticIds.MutableTVarValue));

    // Each rule's page lives in the repository beside the code; the link is the page's repository path.
    private static string HelpLink(string id) => "docs/analyzers/" + id + ".md";
}
