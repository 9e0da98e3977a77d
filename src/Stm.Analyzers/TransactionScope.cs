using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>
/// Decides, from the syntax alone, whether an operation runs inside a transaction body. A body is a
/// lambda or anonymous method passed straight to a transaction method (<see cref="DelegateRole.TransactionBody"/>).
/// Code inside it is in the transaction, and so is code in a lambda or local function written inside it,
/// unless that nested function is a handler, work for another thread, or asynchronous: those run
/// outside. Methods called from a body are not followed, so a helper method is judged as code outside
/// a body.
/// </summary>
internal static class TransactionScope
{
    /// <summary>
    /// The transaction body that <paramref name="operation"/> runs in, or null when it is not inside one.
    /// </summary>
    public static IAnonymousFunctionOperation? FindEnclosingBody(IOperation operation, StmSymbols symbols)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation function:
                    switch (GetRole(function, symbols))
                    {
                        case DelegateRole.TransactionBody:
                            return function;
                        case DelegateRole.CheckoutBody:
                        case DelegateRole.Handler:
                        case DelegateRole.OtherThread:
                            return null;
                    }

                    // An async lambda that is not itself a body cannot run inside one: a transaction
                    // cannot span its awaits.
                    if (function.Symbol.IsAsync)
                    {
                        return null;
                    }

                    break;
                case ILocalFunctionOperation localFunction when localFunction.Symbol.IsAsync:
                    return null;
            }
        }

        return null;
    }

    /// <summary>What the method that receives <paramref name="function"/> as an argument does with it.</summary>
    public static DelegateRole GetRole(IAnonymousFunctionOperation function, StmSymbols symbols)
    {
        IOperation? parent = function.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parameter: { } parameter } ? GetRole(parameter, symbols) : DelegateRole.None;
    }

    /// <summary>What a method does with a delegate passed for <paramref name="parameter"/>.</summary>
    public static DelegateRole GetRole(IParameterSymbol parameter, StmSymbols symbols)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method || parameter.Type.TypeKind != TypeKind.Delegate)
        {
            return DelegateRole.None;
        }

        INamedTypeSymbol type = method.ContainingType.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(type, symbols.Atomic))
        {
            switch (method.Name)
            {
                case "Run":
                case "TryRun":
                case "RunAsync":
                case "OrElse":
                    return TakesCheckout(parameter, symbols) ? DelegateRole.CheckoutBody : DelegateRole.TransactionBody;
                case "AfterCommit":
                case "AfterRollback":
                    return DelegateRole.Handler;
                default:
                    return DelegateRole.None;
            }
        }

        if (SymbolEqualityComparer.Default.Equals(type, symbols.Checkout))
        {
            return method.Name == "Run" ? DelegateRole.TransactionBody : DelegateRole.None;
        }

        if (SymbolEqualityComparer.Default.Equals(type, symbols.TVar))
        {
            return method.Name is "Modify" or "Commute" ? DelegateRole.TransactionBody : DelegateRole.None;
        }

        return StartsOtherThread(method, symbols) ? DelegateRole.OtherThread : DelegateRole.None;
    }

    /// <summary>
    /// Whether calling <paramref name="method"/> (or the constructor) hands work to another thread:
    /// <c>Task.Run</c>, <c>new Task</c>, <c>Task.Start</c>, <c>TaskFactory.StartNew</c>, any
    /// <c>Parallel</c> method, the <c>ThreadPool</c>'s queueing and registering methods, <c>new Thread</c>.
    /// </summary>
    public static bool StartsOtherThread(IMethodSymbol method, StmSymbols symbols)
    {
        INamedTypeSymbol type = method.ContainingType.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(type, symbols.Task))
        {
            return method.Name is "Run" or "Start" || method.MethodKind == MethodKind.Constructor;
        }

        if (symbols.TaskFactories.Contains(type))
        {
            return method.Name == "StartNew";
        }

        if (SymbolEqualityComparer.Default.Equals(type, symbols.Parallel))
        {
            return true;
        }

        if (SymbolEqualityComparer.Default.Equals(type, symbols.ThreadPool))
        {
            return method.Name.Contains("Queue") || method.Name.Contains("Register");
        }

        return SymbolEqualityComparer.Default.Equals(type, symbols.Thread) && method.MethodKind == MethodKind.Constructor;
    }

    // The checkout overloads of RunAsync take (Checkout, CancellationToken): their body may await.
    private static bool TakesCheckout(IParameterSymbol parameter, StmSymbols symbols) =>
        symbols.Checkout is not null
        && parameter.Type is INamedTypeSymbol { DelegateInvokeMethod: { } invoke }
        && invoke.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, symbols.Checkout));
}
