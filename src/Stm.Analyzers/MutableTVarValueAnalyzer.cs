using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Stm.Analyzers;

/// <summary>
/// STM0005: <c>new TVar&lt;T&gt;(...)</c> where <c>T</c> is an array or a mutable BCL collection
/// (<c>List&lt;T&gt;</c>, <c>Dictionary&lt;TKey, TValue&gt;</c>, <c>HashSet&lt;T&gt;</c>...) or derives
/// from one. Reported where the TVar is created, once per TVar, rather than at every declaration that
/// names the type.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MutableTVarValueAnalyzer : DiagnosticAnalyzer
{
    private const string ArrayInstead = "ImmutableArray<T>, or a TArray<T> whose elements change independently";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(StmDiagnostics.MutableTVarValue);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (StmSymbols.TryCreate(start.Compilation) is { TVar: not null } symbols)
            {
                start.RegisterOperationAction(c => Analyze(c, symbols), OperationKind.ObjectCreation);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, StmSymbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol { TypeArguments.Length: 1 } tvar
            || !StmSymbols.IsConstructedFrom(tvar, symbols.TVar)
            || SuggestInstead(tvar.TypeArguments[0], symbols) is not { } instead)
        {
            return;
        }

        // Underline the type in "new TVar<List<int>>(...)"; a target-typed "new(...)" has only itself.
        SyntaxNode where = creation.Syntax is ObjectCreationExpressionSyntax explicitCreation ? explicitCreation.Type : creation.Syntax;
        context.ReportDiagnostic(Diagnostic.Create(
            StmDiagnostics.MutableTVarValue,
            where.GetLocation(),
            tvar.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            instead));
    }

    // What to store instead of a mutable value of this type, or null when the type is not one this rule knows.
    private static string? SuggestInstead(ITypeSymbol value, StmSymbols symbols)
    {
        if (value is IArrayTypeSymbol)
        {
            return ArrayInstead;
        }

        for (ITypeSymbol? type = value; type is not null; type = type.BaseType)
        {
            if (type.OriginalDefinition is INamedTypeSymbol definition && symbols.MutableCollections.TryGetValue(definition, out string? instead))
            {
                return instead;
            }
        }

        return null;
    }
}
