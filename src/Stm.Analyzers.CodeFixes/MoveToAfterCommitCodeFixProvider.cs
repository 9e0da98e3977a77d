using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Stm.Analyzers.CodeFixes;

/// <summary>
/// Fixes STM0003 and STM0004 where the analyzer found it mechanical: the reported statement becomes
/// <c>Atomic.AfterCommit(() => statement);</c>, so it runs once, after the transaction commits.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveToAfterCommitCodeFixProvider))]
[Shared]
public sealed class MoveToAfterCommitCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string Key = "STM0003.MoveToAfterCommit";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(StmDiagnosticIds.SideEffectInTransaction, StmDiagnosticIds.ThreadStartInTransaction);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.ContainsKey(AfterCommitMove.PropertyName)
                || StmSyntax.FindReportedNode(root, diagnostic) is not ExpressionSyntax effect)
            {
                continue;
            }

            // A statement of a block, or the expression body of a lambda returning void.
            (SyntaxNode oldNode, SyntaxNode newNode) = effect.Parent is ExpressionStatementSyntax statement
                ? ((SyntaxNode)statement, (SyntaxNode)statement.WithExpression(StmSyntax.CallAtomic("AfterCommit", effect)))
                : (effect, StmSyntax.CallAtomic("AfterCommit", effect).WithTriviaFrom(effect));
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Run it after commit (Atomic.AfterCommit)",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode))),
                    Key),
                diagnostic);
        }
    }
}
