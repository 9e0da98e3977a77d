using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>What <see cref="TransactionScope.Classify"/> found out about where an operation runs.</summary>
internal readonly struct TransactionContext
{
    /// <summary>Creates a context.</summary>
    public TransactionContext(ScopeKind kind, IAnonymousFunctionOperation? body = null, IMethodSymbol? function = null)
    {
        Kind = kind;
        Body = body;
        Function = function;
    }

    /// <summary>Where the operation runs.</summary>
    public ScopeKind Kind { get; }

    /// <summary>For <see cref="ScopeKind.Inside"/>: the transaction body.</summary>
    public IAnonymousFunctionOperation? Body { get; }

    /// <summary>For <see cref="ScopeKind.Function"/>: the method or local function the operation is written in.</summary>
    public IMethodSymbol? Function { get; }
}
