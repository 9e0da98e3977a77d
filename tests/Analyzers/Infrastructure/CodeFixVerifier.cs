using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Stm.Tests.Analyzers.Infrastructure;

/// <summary>
/// Runs <typeparamref name="TAnalyzer"/> and <typeparamref name="TCodeFix"/> over a test program: the
/// marked diagnostics must be reported, and applying the fix (one at a time and all at once) must give
/// <c>fixedSource</c>.
/// </summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Verifies that the fix with <paramref name="equivalenceKey"/> turns <paramref name="source"/> into <paramref name="fixedSource"/>.</summary>
    public static Task VerifyAsync(string source, string fixedSource, string? equivalenceKey = null)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = LocalReferences.None,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        test.TestState.Sources.Add((StmStubs.FileName, StmStubs.Source));
        test.TestState.AdditionalReferences.AddRange(LocalReferences.All);
        test.FixedState.Sources.Add((StmStubs.FileName, StmStubs.Source));
        return test.RunAsync();
    }
}
