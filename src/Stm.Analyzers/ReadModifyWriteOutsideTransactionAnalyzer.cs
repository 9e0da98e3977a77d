using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>
/// STM0002: a compound assignment (<c>+=</c>, <c>??=</c>...), <c>++</c> or <c>--</c> on
/// <c>TVar.Value</c> or on a <c>TArray</c>, <c>TMap</c> or <c>TSortedMap</c> indexer outside a
/// transaction body. Outside a transaction the read and the write are two transactions, so concurrent
/// updates in between are lost (and TVar's setter throws there).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReadModifyWriteOutsideTransactionAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property present when the update can be wrapped in <c>Atomic.Run(() => ...)</c>.</summary>
    public const string CanWrapProperty = "CanWrap";

    /// <summary>Diagnostic property present when the update can become <c>tvar.Modify(v => ...)</c>.</summary>
    public const string CanModifyProperty = "CanModify";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(StmDiagnostics.ReadModifyWriteOutsideTransaction);

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
                    OperationKind.CompoundAssignment,
                    OperationKind.CoalesceAssignment,
                    OperationKind.Increment,
                    OperationKind.Decrement);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, StmSymbols symbols)
    {
        IOperation operation = context.Operation;
        IOperation target = operation switch
        {
            IAssignmentOperation assignment => assignment.Target,
            IIncrementOrDecrementOperation increment => increment.Target,
            _ => operation,
        };
        if (target is not IPropertyReferenceOperation property
            || !IsTransactionalSlot(property.Property, symbols)
            || !IsOutsideTransaction(context, symbols))
        {
            return;
        }

        ImmutableDictionary<string, string?>.Builder properties = ImmutableDictionary.CreateBuilder<string, string?>();
        if (LambdaCapture.CanMoveIntoLambda(operation))
        {
            properties[CanWrapProperty] = "true";
            if (StmSymbols.IsConstructedFrom(property.Property.ContainingType, symbols.TVar) && CanUseModify(operation))
            {
                properties[CanModifyProperty] = "true";
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(
            StmDiagnostics.ReadModifyWriteOutsideTransaction,
            operation.Syntax.GetLocation(),
            properties.ToImmutable(),
            operation.Syntax.ToString(),
            target.Syntax.ToString()));
    }

    // Reported only where the update surely runs outside a transaction: not in a body, not in a lambda
    // kept for later or handed to an unknown method (a wrapper around Atomic.Run, say), and not in a
    // private helper whose every call is inside a body.
    private static bool IsOutsideTransaction(OperationAnalysisContext context, StmSymbols symbols)
    {
        TransactionContext scope = TransactionScope.Classify(context.Operation, symbols, context.ContainingSymbol, strict: true);
        ScopeKind kind = scope.Kind == ScopeKind.Function
            ? TransactionScope.ClassifyByCallers(scope.Function!, context.Operation.SemanticModel!, symbols, context.CancellationToken)
            : scope.Kind;
        return kind == ScopeKind.Outside;
    }

    // TVar<T>.Value, and the indexers of the transactional array and maps.
    private static bool IsTransactionalSlot(IPropertySymbol property, StmSymbols symbols)
    {
        INamedTypeSymbol type = property.ContainingType;
        if (StmSymbols.IsConstructedFrom(type, symbols.TVar))
        {
            return property.Name == "Value";
        }

        return property.IsIndexer
            && (StmSymbols.IsConstructedFrom(type, symbols.TArray)
                || StmSymbols.IsConstructedFrom(type, symbols.TMap)
                || StmSymbols.IsConstructedFrom(type, symbols.TSortedMap));
    }

    // tvar.Modify(v => v op operand) says the same only when the update's value is not used (Modify
    // returns the new value, a postfix ++ the old one) and when "v op operand" already has the TVar's
    // type (a compound assignment on a byte or short narrows its result implicitly; a lambda would not).
    private static bool CanUseModify(IOperation operation)
    {
        if (operation.Parent is not IExpressionStatementOperation)
        {
            return false;
        }

        switch (operation)
        {
            case ICompoundAssignmentOperation compound:
                return compound.InConversion.IsIdentity && compound.OutConversion.IsIdentity;
            case IIncrementOrDecrementOperation increment:
                return increment.OperatorMethod is null
                    && increment.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32
                        or SpecialType.System_Int64 or SpecialType.System_UInt64
                        or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal
                        or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;
            case ICoalesceAssignmentOperation:
                return true;
            default:
                return false;
        }
    }
}
