using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Stm.Tests.Analyzers.Infrastructure;

/// <summary>
/// Runs <typeparamref name="TAnalyzer"/> over a test program (plus the Stm stand-ins) and checks that it
/// reports exactly the diagnostics marked in the source (<c>{|STM0002:x.Value++|}</c>) and those passed in.
/// </summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Verifies the diagnostics of <paramref name="source"/>.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = LocalReferences.None,
        };
        test.TestState.Sources.Add((StmStubs.FileName, StmStubs.Source));
        test.TestState.AdditionalReferences.AddRange(LocalReferences.All);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
