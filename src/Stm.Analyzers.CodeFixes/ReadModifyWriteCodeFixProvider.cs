using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Stm.Analyzers.CodeFixes;

/// <summary>
/// Fixes STM0002: wraps the update in <c>Atomic.Run(() => ...)</c>, or, for a <c>TVar</c> whose
/// update's value is unused, rewrites it as <c>tvar.Modify(v => v + n)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReadModifyWriteCodeFixProvider))]
[Shared]
public sealed class ReadModifyWriteCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the fix that wraps the update in <c>Atomic.Run</c>.</summary>
    public const string WrapKey = "STM0002.WrapInAtomicRun";

    /// <summary>Equivalence key of the fix that rewrites the update as <c>TVar.Modify</c>.</summary>
    public const string ModifyKey = "STM0002.UseModify";

    // Names tried, in order, for the lambda parameter of Modify; the first one free at the update wins.
    private static readonly string[] s_parameterNames = ["v", "value", "current", "old"];

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(StmDiagnosticIds.ReadModifyWriteOutsideTransaction);

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
            if (StmSyntax.FindReportedNode(root, diagnostic) is not ExpressionSyntax update
                || !diagnostic.Properties.ContainsKey(ReadModifyWriteOutsideTransactionAnalyzer.CanWrapProperty))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Run the update in Atomic.Run",
                    token => StmSyntax.ReplaceAsync(context.Document, update, StmSyntax.CallAtomic("Run", update).WithTriviaFrom(update), token),
                    WrapKey),
                diagnostic);

            if (diagnostic.Properties.ContainsKey(ReadModifyWriteOutsideTransactionAnalyzer.CanModifyProperty)
                && TargetAndOperation(update) is ({ } target, _, _))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Use {target.Expression}.Modify",
                        token => UseModifyAsync(context.Document, update, token),
                        ModifyKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> UseModifyAsync(Document document, ExpressionSyntax update, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SemanticModel model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        (MemberAccessExpressionSyntax target, SyntaxKind operatorKind, ExpressionSyntax operand) = TargetAndOperation(update)!.Value;

        string parameter = s_parameterNames.Concat(Enumerable.Range(1, 100).Select(i => "v" + i))
            .First(name => model.LookupSymbols(update.SpanStart, name: name).IsEmpty
                && !operand.DescendantTokens().Any(t => t.ValueText == name));

        // The operand goes in parentheses that the simplifier removes again where precedence allows.
        ExpressionSyntax body = BinaryExpression(
            operatorKind,
            IdentifierName(parameter),
            ParenthesizedExpression(operand.WithoutTrivia()).WithAdditionalAnnotations(Simplifier.Annotation));
        InvocationExpressionSyntax modify = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, target.Expression.WithoutTrivia(), IdentifierName("Modify")),
            ArgumentList(SingletonSeparatedList(Argument(SimpleLambdaExpression(Parameter(Identifier(parameter)), body)))));
        return document.WithSyntaxRoot(root.ReplaceNode(update, modify.WithTriviaFrom(update)));
    }

    // The "tvar.Value" target of the update, the binary operator it applies, and its right operand.
    private static (MemberAccessExpressionSyntax Target, SyntaxKind Operator, ExpressionSyntax Operand)? TargetAndOperation(ExpressionSyntax update)
    {
        ExpressionSyntax one = LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(1));
        (ExpressionSyntax target, SyntaxKind kind, ExpressionSyntax operand) = update switch
        {
            AssignmentExpressionSyntax assignment => (assignment.Left, BinaryKind(assignment.Kind()), assignment.Right),
            PostfixUnaryExpressionSyntax postfix => (postfix.Operand, postfix.IsKind(SyntaxKind.PostIncrementExpression) ? SyntaxKind.AddExpression : SyntaxKind.SubtractExpression, one),
            PrefixUnaryExpressionSyntax prefix => (prefix.Operand, prefix.IsKind(SyntaxKind.PreIncrementExpression) ? SyntaxKind.AddExpression : SyntaxKind.SubtractExpression, one),
            _ => (update, SyntaxKind.None, update),
        };
        return target is MemberAccessExpressionSyntax member && kind != SyntaxKind.None ? (member, kind, operand) : null;
    }

    private static SyntaxKind BinaryKind(SyntaxKind assignment) => assignment switch
    {
        SyntaxKind.AddAssignmentExpression => SyntaxKind.AddExpression,
        SyntaxKind.SubtractAssignmentExpression => SyntaxKind.SubtractExpression,
        SyntaxKind.MultiplyAssignmentExpression => SyntaxKind.MultiplyExpression,
        SyntaxKind.DivideAssignmentExpression => SyntaxKind.DivideExpression,
        SyntaxKind.ModuloAssignmentExpression => SyntaxKind.ModuloExpression,
        SyntaxKind.AndAssignmentExpression => SyntaxKind.BitwiseAndExpression,
        SyntaxKind.OrAssignmentExpression => SyntaxKind.BitwiseOrExpression,
        SyntaxKind.ExclusiveOrAssignmentExpression => SyntaxKind.ExclusiveOrExpression,
        SyntaxKind.LeftShiftAssignmentExpression => SyntaxKind.LeftShiftExpression,
        SyntaxKind.RightShiftAssignmentExpression => SyntaxKind.RightShiftExpression,
        SyntaxKind.UnsignedRightShiftAssignmentExpression => SyntaxKind.UnsignedRightShiftExpression,
        SyntaxKind.CoalesceAssignmentExpression => SyntaxKind.CoalesceExpression,
        _ => SyntaxKind.None,
    };
}
