using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>
/// STM0004: <c>Task.Run</c>, <c>TaskFactory.StartNew</c>, <c>Task.Start</c>, <c>Parallel.*</c>,
/// <c>ThreadPool.QueueUserWorkItem</c> and friends, or <c>new Thread</c> inside a transaction body.
/// The work runs on another thread, outside the transaction, once per attempt.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThreadStartInTransactionAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(StmDiagnostics.ThreadStartInTransaction);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (StmSymbols.TryCreate(start.Compilation) is { } symbols)
            {
                start.RegisterOperationAction(c => Analyze(c, symbols), OperationKind.Invocation, OperationKind.ObjectCreation);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, StmSymbols symbols)
    {
        IOperation operation = context.Operation;
        IMethodSymbol? method = operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };

        // new Task(...) only wraps the work; its Start (reported on its own) hands it to the pool.
        if (method is null
            || !TransactionScope.StartsOtherThread(method, symbols)
            || method.MethodKind == MethodKind.Constructor && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task)
            || TransactionScope.FindEnclosingBody(operation, symbols, context.ContainingSymbol) is not { } body)
        {
            return;
        }

        ImmutableDictionary<string, string?> properties = operation is IInvocationOperation && AfterCommitMove.IsMechanical(operation, body)
            ? ImmutableDictionary<string, string?>.Empty.Add(AfterCommitMove.PropertyName, "true")
            : ImmutableDictionary<string, string?>.Empty;
        string name = method.MethodKind == MethodKind.Constructor
            ? "new " + method.ContainingType.Name
            : method.ContainingType.Name + "." + method.Name;
        context.ReportDiagnostic(Diagnostic.Create(StmDiagnostics.ThreadStartInTransaction, operation.Syntax.GetLocation(), properties, name));
    }
}
