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
    /// commit instead of the transaction's snapshot), and uses no local of the body that is disposed or
    /// written later on.
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

        foreach (ILocalReferenceOperation local in statement.Descendants().OfType<ILocalReferenceOperation>())
        {
            if (IsDeclaredIn(local.Local, body.Syntax)
                && (IsUsingLocal(local.Local) || IsWrittenAfter(local.Local, statement.Syntax, body)))
            {
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

    private static bool IsWrittenAfter(ILocalSymbol local, SyntaxNode statement, IAnonymousFunctionOperation body)
    {
        foreach (ILocalReferenceOperation reference in body.Descendants().OfType<ILocalReferenceOperation>())
        {
            if (SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && reference.Syntax.SpanStart > statement.Span.End
                && IsWrite(reference))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWrite(ILocalReferenceOperation reference) => reference.Parent switch
    {
        IAssignmentOperation assignment => assignment.Target == reference,
        IIncrementOrDecrementOperation => true,
        IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
        _ => reference.Parent is ITupleOperation,
    };
}
