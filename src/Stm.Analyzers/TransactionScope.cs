using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>
/// Decides, from the code around an operation, whether it runs inside a transaction body. A body is a
/// lambda or anonymous method passed straight to a transaction method (<see cref="DelegateRole.TransactionBody"/>).
/// Code inside it is in the transaction, and so is code in a lambda passed as an argument from inside
/// it (<c>items.ForEach(...)</c>), unless that lambda is a handler, work for another thread, or
/// asynchronous: those run outside. A lambda kept for later, and a local function, run wherever they
/// are called, so the syntax alone says nothing about them. The rules that report code inside a body
/// use the lenient reading; STM0002, which reports code outside one, the strict one
/// (<see cref="Classify"/>), so that each reports only what it is sure of.
/// </summary>
internal static class TransactionScope
{
    // How many helper methods deep the call-site search of IsCalledOnlyInsideBodies goes.
    private const int MaxHelperDepth = 4;

    /// <summary>Where <paramref name="operation"/> runs, as far as the code around it tells.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="symbols">The compilation's Stm symbols.</param>
    /// <param name="containingSymbol">The member whose code holds <paramref name="operation"/>.</param>
    /// <param name="strict">
    /// Whether a lambda passed to a method this analysis does not know makes the answer
    /// <see cref="ScopeKind.Unknown"/>: that method may run it in a transaction of its own (a wrapper
    /// around <c>Atomic.Run</c>). Otherwise the lambda is taken to run where it is written.
    /// </param>
    public static TransactionContext Classify(IOperation operation, StmSymbols symbols, ISymbol containingSymbol, bool strict)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation function:
                    switch (GetRole(function, symbols))
                    {
                        case DelegateRole.TransactionBody:
                            return new TransactionContext(ScopeKind.Inside, body: function);
                        case DelegateRole.CheckoutBody:
                        case DelegateRole.Handler:
                        case DelegateRole.OtherThread:
                            return new TransactionContext(ScopeKind.Outside);
                    }

                    // An async lambda that is not itself a body cannot run inside one: a transaction
                    // cannot span its awaits.
                    if (function.Symbol.IsAsync)
                    {
                        return new TransactionContext(ScopeKind.Outside);
                    }

                    if (strict || !IsArgument(function))
                    {
                        return new TransactionContext(ScopeKind.Unknown);
                    }

                    break;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol.IsAsync
                        ? new TransactionContext(ScopeKind.Outside)
                        : new TransactionContext(ScopeKind.Function, function: localFunction.Symbol);
            }
        }

        if (containingSymbol is IMethodSymbol method)
        {
            return method.IsAsync ? new TransactionContext(ScopeKind.Outside) : new TransactionContext(ScopeKind.Function, function: method);
        }

        // A field or property initializer: it runs when the object is built, wherever that is.
        return new TransactionContext(ScopeKind.Unknown);
    }

    /// <summary>
    /// The transaction body that <paramref name="operation"/> runs in, or null when it is not (as far as
    /// the code around it tells) inside one.
    /// </summary>
    public static IAnonymousFunctionOperation? FindEnclosingBody(IOperation operation, StmSymbols symbols, ISymbol containingSymbol)
    {
        TransactionContext context = Classify(operation, symbols, containingSymbol, strict: false);
        return context.Kind == ScopeKind.Inside ? context.Body : null;
    }

    /// <summary>
    /// Where code written directly in <paramref name="function"/> runs, judged strictly by its callers. Only a
    /// local function or a private method has callers that can all be seen (in
    /// <paramref name="model"/>'s file); it runs inside a transaction when every call is inside a body
    /// (or it is passed as a body itself), and outside as soon as one call is outside. Any other
    /// method is judged outside: it is code that anyone may call, outside a transaction too.
    /// </summary>
    public static ScopeKind ClassifyByCallers(IMethodSymbol function, SemanticModel model, StmSymbols symbols, CancellationToken cancellationToken) =>
        ClassifyByCallers(function, model, symbols, depth: 0, cancellationToken);

    /// <summary>What the method that receives <paramref name="function"/> as an argument does with it.</summary>
    public static DelegateRole GetRole(IAnonymousFunctionOperation function, StmSymbols symbols) =>
        ArgumentOf(function) is { Parameter: { } parameter } ? GetRole(parameter, symbols) : DelegateRole.None;

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

        // The same run forms with a state passed to the body: the body is a transaction body exactly
        // as the one of the Atomic form of the same name. None of them takes a checkout body.
        if (SymbolEqualityComparer.Default.Equals(type, symbols.Transactional))
        {
            return method.Name is "Run" or "TryRun" or "RunAsync" ? DelegateRole.TransactionBody : DelegateRole.None;
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

    private static ScopeKind ClassifyByCallers(IMethodSymbol function, SemanticModel model, StmSymbols symbols, int depth, CancellationToken cancellationToken)
    {
        bool localFunction = function.MethodKind == MethodKind.LocalFunction;
        if (!localFunction && (function.DeclaredAccessibility != Accessibility.Private
            || function.MethodKind != MethodKind.Ordinary
            || function.ContainingType.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != model.SyntaxTree)))
        {
            return ScopeKind.Outside;
        }

        if (depth >= MaxHelperDepth || function.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not { } declaration)
        {
            return ScopeKind.Unknown;
        }

        bool called = false;
        bool unknown = false;
        foreach (SimpleNameSyntax name in model.SyntaxTree.GetRoot(cancellationToken).DescendantNodes().OfType<SimpleNameSyntax>())
        {
            if (name.Identifier.ValueText != function.Name
                || declaration.Span.Contains(name.Span)
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol?.OriginalDefinition, function.OriginalDefinition))
            {
                continue;
            }

            called = true;
            switch (ClassifyUse(name, function, model, symbols, depth, cancellationToken))
            {
                case ScopeKind.Outside:
                    return ScopeKind.Outside;
                case ScopeKind.Unknown:
                    unknown = true;
                    break;
            }
        }

        // Never called: nothing runs it inside a transaction, so it is judged like any other method.
        return !called ? ScopeKind.Outside : unknown ? ScopeKind.Unknown : ScopeKind.Inside;
    }

    // Where one use of a helper (a call, or the helper passed as a delegate) runs it.
    private static ScopeKind ClassifyUse(SimpleNameSyntax name, IMethodSymbol function, SemanticModel model, StmSymbols symbols, int depth, CancellationToken cancellationToken)
    {
        SyntaxNode node = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
        IOperation? use = model.GetOperation(node.Parent is InvocationExpressionSyntax invocation && invocation.Expression == node ? invocation : node, cancellationToken);
        switch (use)
        {
            case IInvocationOperation:
                break;
            case IMethodReferenceOperation reference:
                // Passed as a delegate: a body when it is passed as one, outside when it is a handler or
                // work for another thread, and unknown when it is kept for later.
                return ArgumentOf(reference) is { Parameter: { } parameter }
                    ? GetRole(parameter, symbols) switch
                    {
                        DelegateRole.TransactionBody => ScopeKind.Inside,
                        DelegateRole.None => ScopeKind.Unknown,
                        _ => ScopeKind.Outside,
                    }
                    : ScopeKind.Unknown;
            default:
                return ScopeKind.Unknown;
        }

        ISymbol caller = model.GetEnclosingSymbol(node.SpanStart, cancellationToken) ?? function;
        while (caller is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } anonymous)
        {
            caller = anonymous.ContainingSymbol;
        }

        TransactionContext context = Classify(use, symbols, caller, strict: true);
        return context.Kind == ScopeKind.Function
            ? ClassifyByCallers(context.Function!, model, symbols, depth + 1, cancellationToken)
            : context.Kind;
    }

    // The argument a lambda or method group is passed as, looking through the delegate creation.
    private static IArgumentOperation? ArgumentOf(IOperation function)
    {
        IOperation? parent = function.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent as IArgumentOperation;
    }

    private static bool IsArgument(IAnonymousFunctionOperation function) => ArgumentOf(function) is not null;

    // The checkout overloads of RunAsync take (Checkout, CancellationToken): their body may await.
    private static bool TakesCheckout(IParameterSymbol parameter, StmSymbols symbols) =>
        symbols.Checkout is not null
        && parameter.Type is INamedTypeSymbol { DelegateInvokeMethod: { } invoke }
        && invoke.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, symbols.Checkout));
}
