using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>
/// Decides whether a reported statement of a transaction body can be moved, as it is, into
/// <c>Atomic.AfterCommit(() => ...)</c> without changing what it does apart from when it runs. The
/// analyzers record the answer in the diagnostic (<see cref="PropertyName"/>) so the code fix needs no
/// analysis of its own.
/// </summary>
internal static class AfterCommitMove
{
    /// <summary>The diagnostic property that is present when the move is mechanical.</summary>
    public const string PropertyName = "MoveToAfterCommit";

    /// <summary>
    /// Whether the statement whose whole expression is <paramref name="reported"/> can run after commit
    /// instead: it is a statement of <paramref name="body"/> outside any loop (a loop variable would be
    /// captured once, not per iteration), reads no TVar or Stm collection (it would read the state after
    /// commit instead of the transaction's snapshot), uses no local of the body that is disposed, and no
    /// local or parameter (the state of a <c>Transactional</c> body, say) that the body writes later on.
    /// </summary>
    public static bool IsMechanical(IOperation reported, IAnonymousFunctionOperation body)
    {
        if (reported.Parent is not IExpressionStatementOperation statement
            || !IsPlainPathToBody(statement.Syntax, body.Syntax)
            || !LambdaCapture.CanMoveIntoLambda(statement)
            || ReadsTransactionalState(statement))
        {
            return false;
        }

        foreach (IOperation reference in statement.Descendants())
        {
            switch (reference)
            {
                // A using local of the body is disposed before the handler runs (one declared outside
                // the body only after the transaction has committed).
                case ILocalReferenceOperation local when IsDeclaredIn(local.Local, body.Syntax) && IsUsingLocal(local.Local):
                // The handler captures the variable itself, not its value, so it would see a write
                // that the body makes after the statement.
                case ILocalReferenceOperation written when IsWrittenAfter(written.Local, statement.Syntax, body):
                case IParameterReferenceOperation parameter when IsWrittenAfter(parameter.Parameter, statement.Syntax, body):
                    return false;
            }
        }

        return true;
    }

    // Only blocks, conditions, switches and try statements between the statement and the body: a loop,
    // using, lock or nested function would change what the moved statement sees or when it runs.
    private static bool IsPlainPathToBody(SyntaxNode statement, SyntaxNode body)
    {
        for (SyntaxNode? node = statement.Parent; node is not null; node = node.Parent)
        {
            if (node == body)
            {
                return true;
            }

            switch (node)
            {
                case BlockSyntax:
                case IfStatementSyntax:
                case ElseClauseSyntax:
                case SwitchSectionSyntax:
                case SwitchStatementSyntax:
                case TryStatementSyntax:
                case CatchClauseSyntax:
                case FinallyClauseSyntax:
                case CheckedStatementSyntax:
                case LabeledStatementSyntax:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool ReadsTransactionalState(IOperation operation)
    {
        foreach (IOperation descendant in operation.DescendantsAndSelf())
        {
            ISymbol? member = descendant switch
            {
                IMemberReferenceOperation reference => reference.Member,
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };
            if (IsStmType(member?.ContainingType) || IsStmType(descendant.Type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsStmType(ITypeSymbol? type) =>
        type?.ContainingNamespace?.ToDisplayString() is "Stm" or "Stm.Collections";

    private static bool IsDeclaredIn(ILocalSymbol local, SyntaxNode body) =>
        local.DeclaringSyntaxReferences.Any(r => body.Span.Contains(r.Span));

    private static bool IsUsingLocal(ILocalSymbol local) =>
        local.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is VariableDeclaratorSyntax
        {
            Parent: VariableDeclarationSyntax { Parent: UsingStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword } },
        });

    private static bool IsWrittenAfter(ISymbol variable, SyntaxNode statement, IAnonymousFunctionOperation body)
    {
        foreach (IOperation reference in body.Descendants())
        {
            ISymbol? referenced = reference switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (SymbolEqualityComparer.Default.Equals(referenced, variable)
                && reference.Syntax.SpanStart > statement.Span.End
                && IsWrite(reference))
            {
                return true;
            }
        }

        return false;
    }

    // A write to the variable, or to a field of it when it is a struct (a value-tuple state,
    // args.Count = 1): either changes what a handler that captured the variable sees.
    private static bool IsWrite(IOperation reference)
    {
        IOperation written = reference;
        while (written.Parent is IFieldReferenceOperation field && field.Instance == written && written.Type?.IsValueType == true)
        {
            written = field;
        }

        return written.Parent switch
        {
            IAssignmentOperation assignment => assignment.Target == written,
            IIncrementOrDecrementOperation => true,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            _ => written.Parent is ITupleOperation,
        };
    }
}
