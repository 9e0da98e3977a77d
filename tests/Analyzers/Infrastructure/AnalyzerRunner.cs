using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Stm.Tests.Analyzers.Infrastructure;

/// <summary>
/// Compiles a test program with the Stm stand-ins and returns what one analyzer reports, for the tests
/// that look at more than a diagnostic's place: its message and the properties the code fixes read.
/// </summary>
internal static class AnalyzerRunner
{
    /// <summary>The diagnostics <paramref name="analyzer"/> reports in <paramref name="source"/>, in source order.</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAsync(DiagnosticAnalyzer analyzer, string source)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Test",
            [CSharpSyntaxTree.ParseText(source, path: "Test.cs"), CSharpSyntaxTree.ParseText(StmStubs.Source, path: StmStubs.FileName)],
            LocalReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        ImmutableArray<Diagnostic> errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        if (!errors.IsEmpty)
        {
            throw new InvalidOperationException("The test program does not compile: " + string.Join(Environment.NewLine, errors));
        }

        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync();
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }
}
