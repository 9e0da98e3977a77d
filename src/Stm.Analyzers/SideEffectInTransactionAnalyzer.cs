using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>
/// STM0003: a side effect inside a transaction body: Console, file and network I/O,
/// <c>Thread.Sleep</c>, <c>lock</c>, <c>Monitor</c> and <c>Interlocked</c>. A body may run several
/// times and may be rolled back; none of these are undone or done once.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SideEffectInTransactionAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(StmDiagnostics.SideEffectInTransaction);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (StmSymbols.TryCreate(start.Compilation) is { } symbols)
            {
                start.RegisterOperationAction(
                    c => Analyze(c, symbols),
                    OperationKind.Invocation,
                    OperationKind.ObjectCreation,
                    OperationKind.PropertyReference,
                    OperationKind.Lock);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, StmSymbols symbols)
    {
        IOperation operation = context.Operation;
        string? effect = DescribeEffect(operation, symbols);
        if (effect is null || TransactionScope.FindEnclosingBody(operation, symbols, context.ContainingSymbol) is not { } body)
        {
            return;
        }

        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty;
        if (operation is IInvocationOperation invocation
            && !IsWaitOrLock(invocation.TargetMethod, symbols)
            && AfterCommitMove.IsMechanical(operation, body))
        {
            properties = properties.Add(AfterCommitMove.PropertyName, "true");
        }

        Location location = operation.Syntax is LockStatementSyntax lockStatement
            ? lockStatement.LockKeyword.GetLocation()
            : operation.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(StmDiagnostics.SideEffectInTransaction, location, properties, effect));
    }

    // A short name for the effect, or null when the operation has none that this rule knows of.
    private static string? DescribeEffect(IOperation operation, StmSymbols symbols)
    {
        switch (operation)
        {
            case ILockOperation:
                return "lock";
            case IPropertyReferenceOperation property
                when SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, symbols.Console):
                return "Console." + property.Property.Name;
            case IObjectCreationOperation creation when StmSymbols.IsOrDerivesFromAny(creation.Type, symbols.SideEffectTypes):
                return "new " + creation.Type!.Name;
            case IInvocationOperation invocation:
                IMethodSymbol method = invocation.TargetMethod;
                if (method.Name == "Sleep" && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Thread))
                {
                    return "Thread.Sleep";
                }

                // Interlocked.Read only reads: the one member of those types with no effect to repeat.
                if (method.Name == "Read" && method.ContainingType.Name == "Interlocked")
                {
                    return null;
                }

                if (symbols.SideEffectTypes.Contains(method.ContainingType.OriginalDefinition))
                {
                    return method.ContainingType.Name + "." + method.Name;
                }

                // An instance method inherited from a general base (TextWriter.WriteLine on a
                // StreamWriter, say): judge the receiver, unless the receiver is reported already.
                IOperation? receiver = invocation.Instance;
                while (receiver is IConversionOperation conversion)
                {
                    receiver = conversion.Operand;
                }

                if (receiver is not null
                    && receiver is not IObjectCreationOperation
                    && !(receiver is IPropertyReferenceOperation p && SymbolEqualityComparer.Default.Equals(p.Property.ContainingType, symbols.Console))
                    && StmSymbols.IsOrDerivesFromAny(receiver.Type, symbols.SideEffectTypes))
                {
                    return receiver.Type!.Name + "." + method.Name;
                }

                return null;
            default:
                return null;
        }
    }

    // Moving half of a Monitor pair, or a sleep, to after commit is no fix.
    private static bool IsWaitOrLock(IMethodSymbol method, StmSymbols symbols) =>
        method.ContainingType.Name == "Monitor" && method.ContainingType.ContainingNamespace.ToDisplayString() == "System.Threading"
        || method.Name == "Sleep" && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Thread);
}
