using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Stm.Analyzers.CodeFixes;

/// <summary>Syntax the code fixes generate.</summary>
internal static class StmSyntax
{
    /// <summary>
    /// <c>Atomic.Method(() => body)</c>. The name is written fully qualified and marked for
    /// simplification and import, so the result reads <c>Atomic.Method</c> under <c>using Stm;</c>
    /// (which is added when missing) and never binds to another type named Atomic.
    /// </summary>
    public static InvocationExpressionSyntax CallAtomic(string method, ExpressionSyntax body)
    {
        ExpressionSyntax atomic = ParseName("global::Stm.Atomic")
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        return InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, atomic, IdentifierName(method)),
                ArgumentList(SingletonSeparatedList(Argument(ParenthesizedLambdaExpression(body.WithoutTrivia())))))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// <paramref name="document"/> with <paramref name="oldNode"/> replaced, and a <c>using Stm;</c>
    /// added for the <see cref="CallAtomic"/> calls in the replacement when the file has none.
    /// </summary>
    public static async Task<Document> ReplaceAsync(Document document, SyntaxNode oldNode, SyntaxNode newNode, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        Document changed = document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode));
        return await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The node a diagnostic points at: the innermost node whose span is exactly the diagnostic's.</summary>
    public static SyntaxNode FindReportedNode(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
}
