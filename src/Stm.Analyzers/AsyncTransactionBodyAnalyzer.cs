using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>
/// STM0001: a transaction body that is an async lambda, an async method, or any delegate that returns a
/// task, passed to <c>Atomic</c>, <c>Transactional</c> or <c>Checkout</c>. The checkout overloads of
/// <c>Atomic.RunAsync</c> take an async body by design and are not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AsyncTransactionBodyAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(StmDiagnostics.AsyncTransactionBody);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (StmSymbols.TryCreate(start.Compilation) is { } symbols)
            {
                start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, StmSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;

        // TVar.Modify and Commute take bodies too, but a TVar<Task> may rightly map a task to a task.
        INamedTypeSymbol type = invocation.TargetMethod.ContainingType.OriginalDefinition;
        if (!SymbolEqualityComparer.Default.Equals(type, symbols.Atomic)
            && !SymbolEqualityComparer.Default.Equals(type, symbols.Transactional)
            && !SymbolEqualityComparer.Default.Equals(type, symbols.Checkout))
        {
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter
                || TransactionScope.GetRole(parameter, symbols) != DelegateRole.TransactionBody)
            {
                continue;
            }

            if (FindAsyncBody(argument, symbols) is { } location)
            {
                string name = invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name;
                context.ReportDiagnostic(Diagnostic.Create(StmDiagnostics.AsyncTransactionBody, location, name));
            }
        }
    }

    // Where to report an asynchronous body passed as this argument, or null when the body is synchronous.
    private static Location? FindAsyncBody(IArgumentOperation argument, StmSymbols symbols)
    {
        IOperation value = argument.Value;
        while (value is IConversionOperation or IParenthesizedOperation)
        {
            value = value is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)value).Operand;
        }

        IOperation target = value is IDelegateCreationOperation creation ? creation.Target : value;
        switch (target)
        {
            case IAnonymousFunctionOperation function when function.Symbol.IsAsync:
                // The async keyword is the thing to remove; point at it rather than at the whole body.
                return target.Syntax is AnonymousFunctionExpressionSyntax syntax && syntax.AsyncKeyword.RawKind != 0
                    ? syntax.AsyncKeyword.GetLocation()
                    : target.Syntax.GetLocation();
            case IAnonymousFunctionOperation function when symbols.IsTaskLike(function.Symbol.ReturnType):
                return target.Syntax.GetLocation();
            case IMethodReferenceOperation reference when reference.Method.IsAsync || symbols.IsTaskLike(reference.Method.ReturnType):
                return argument.Value.Syntax.GetLocation();
        }

        // Any other delegate (a variable, a field): judge it by the type it is passed as.
        return argument.Parameter?.Type is INamedTypeSymbol { DelegateInvokeMethod: { } invoke } && symbols.IsTaskLike(invoke.ReturnType)
            ? argument.Value.Syntax.GetLocation()
            : null;
    }
}
