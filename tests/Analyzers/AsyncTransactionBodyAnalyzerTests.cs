using Microsoft.CodeAnalysis.Testing;
using Stm.Analyzers;
using Stm.Tests.Analyzers.Infrastructure;
using Xunit;
using Verifier = Stm.Tests.Analyzers.Infrastructure.AnalyzerVerifier<Stm.Analyzers.AsyncTransactionBodyAnalyzer>;

namespace Stm.Tests.Analyzers;

public sealed class AsyncTransactionBodyAnalyzerTests
{
    [Fact]
    public Task AsyncLambda_PassedToRun_IsReportedAtAsyncKeyword() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void M(TVar<int> x) => Atomic.Run({|#0:async|} () => { await Task.Yield(); x.Value = 1; });
        }
        """,
        new DiagnosticResult(StmDiagnostics.AsyncTransactionBody).WithLocation(0).WithArguments("Atomic.Run"));
}
