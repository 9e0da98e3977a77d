using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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

            // The analyzer vouched that this is a whole statement of a block, or the expression body
            // of a lambda returning void: either way, replacing the expression moves the statement.
            // The call keeps the trivia (comments, indentation) of the expression it replaces.
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Run it after commit (Atomic.AfterCommit)",
                    token => StmSyntax.ReplaceAsync(context.Document, effect, StmSyntax.CallAtomic("AfterCommit", effect).WithTriviaFrom(effect), token),
                    Key),
                diagnostic);
        }
    }
}
