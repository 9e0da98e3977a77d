using Microsoft.CodeAnalysis.Testing;
using Stm.Analyzers;
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

    [Fact]
    public Task AsyncLambda_ReturningAValue_IsReported() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            Task<int> M(TVar<int> x) => Atomic.Run({|STM0001:async|} () => { await Task.Yield(); return x.Value; });
        }
        """);

    [Fact]
    public Task AsyncLambda_PassedToTryRunRunAsyncAndOrElse_IsReported() => Verifier.VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            async Task M(TVar<int> x)
            {
                Atomic.TryRun({|STM0001:async|} () => { await Task.Yield(); x.Value = 1; }, TimeSpan.FromSeconds(1));
                await Atomic.RunAsync({|STM0001:async|} () => { await Task.Yield(); x.Value = 2; });
                Atomic.Run(() => Atomic.OrElse({|STM0001:async|} () => await Task.Yield(), () => x.Value = 3));
            }
        }
        """);

    [Fact]
    public Task AsyncBlock_PassedToCheckoutRun_IsReported() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            Task M(TVar<int> x) => Atomic.RunAsync(async (checkout, cancellationToken) =>
            {
                await Task.Yield();
                checkout.Run({|#0:async|} () => { await Task.Delay(1); x.Value = 1; });
            }).AsTask();
        }
        """,
        new DiagnosticResult(StmDiagnostics.AsyncTransactionBody).WithLocation(0).WithArguments("Checkout.Run"));

    [Fact]
    public Task LambdaReturningATask_WithoutAsync_IsReported() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            Task Save() => Task.CompletedTask;

            void M() => Atomic.Run({|STM0001:() => Save()|});
        }
        """);

    [Fact]
    public Task AsyncMethodGroup_IsReported() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            async void Update() => await Task.Yield();

            async Task<int> ComputeAsync() { await Task.Yield(); return 1; }

            void M()
            {
                Atomic.Run({|STM0001:Update|});
                Atomic.Run({|STM0001:ComputeAsync|});
            }
        }
        """);

    [Fact]
    public Task TaskReturningDelegateVariable_IsReported() => Verifier.VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void M(Func<Task> work) => Atomic.Run({|STM0001:work|});
        }
        """);

    [Fact]
    public Task SynchronousBodies_AreNotReported() => Verifier.VerifyAsync("""
        using System;
        using Stm;

        class C
        {
            int Read(TVar<int> x) => x.Value;

            void M(TVar<int> x, Func<int> read)
            {
                Atomic.Run(() => x.Value++);
                Atomic.Run(() => { x.Value = 2; });
                int a = Atomic.Run(() => Read(x));
                int b = Atomic.Run(read);
                Atomic.TryRun(() => x.Value, TimeSpan.Zero, out int c);
            }
        }
        """);

    [Fact]
    public Task CheckoutBodyOfRunAsync_MayBeAsync() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            async Task M(TVar<int> x)
            {
                await Atomic.RunAsync(async (checkout, cancellationToken) =>
                {
                    int seen = checkout.Run(() => x.Value);
                    await Task.Delay(1, cancellationToken);
                    checkout.Run(() => x.Value = seen + 1);
                });
                int result = await Atomic.RunAsync(async (checkout, cancellationToken) =>
                {
                    await Task.Yield();
                    return checkout.Run(() => x.Value);
                });
            }
        }
        """);

    [Fact]
    public Task AsyncLambdas_ElsewhereThanABody_AreNotReported() => Verifier.VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void M()
            {
                Atomic.AfterCommit(async () => await Task.Yield());
                Task.Run(async () => await Task.Yield());
                Func<Task> later = async () => await Task.Yield();
                var pending = new TVar<Task>(Task.CompletedTask);
                pending.Modify(previous => previous.ContinueWith(_ => { }));
            }
        }
        """);

    [Fact]
    public Task AsyncLambda_PassedToTransactionalRun_IsReportedAtAsyncKeyword() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void M(TVar<int> x) => Transactional.Run(x, {|#0:async|} v => { await Task.Yield(); v.Value = 1; });
        }
        """,
        new DiagnosticResult(StmDiagnostics.AsyncTransactionBody).WithLocation(0).WithArguments("Transactional.Run"));

    [Fact]
    public Task AsyncBodies_PassedToEveryTransactionalForm_AreReported() => Verifier.VerifyAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            static async Task UpdateAsync(TVar<int> v) { await Task.Yield(); v.Value = 5; }

            async Task M(TVar<int> x, Func<TVar<int>, Task> work, CancellationToken token)
            {
                Transactional.Run((Var: x, Add: 1), {|STM0001:async|} static s => { await Task.Yield(); s.Var.Value += s.Add; }, token);
                Transactional.TryRun(x, {|#0:async|} v => { await Task.Yield(); v.Value = 2; }, TimeSpan.FromSeconds(1));
                await Transactional.RunAsync(x, {|#1:async|} v => { await Task.Yield(); v.Value = 3; });
                _ = Transactional.Run(x, {|STM0001:delegate (TVar<int> v) { return Task.CompletedTask; }|});
                _ = Transactional.Run(x, {|STM0001:UpdateAsync|});
                _ = Transactional.Run(x, {|STM0001:work|}, token);
            }
        }
        """,
        new DiagnosticResult(StmDiagnostics.AsyncTransactionBody).WithLocation(0).WithArguments("Transactional.TryRun"),
        new DiagnosticResult(StmDiagnostics.AsyncTransactionBody).WithLocation(1).WithArguments("Transactional.RunAsync"));

    [Fact]
    public Task SynchronousTransactionalBodies_AreNotReported() => Verifier.VerifyAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            static int Read(TVar<int> x) => x.Value;

            async Task M(TVar<int> x, Func<TVar<int>, int> read, CancellationToken token)
            {
                Transactional.Run(x, static v => v.Value++);
                Transactional.Run((Var: x, Add: 2), static s => { s.Var.Value += s.Add; }, token);
                int a = Transactional.Run(x, Read);
                int b = Transactional.Run(x, read, token);
                Transactional.TryRun(x, static v => v.Value, TimeSpan.Zero, out int c);
                Transactional.TryRun(x, static v => { if (v.Value == 0) { Transactional.RequestRetry(); } }, TimeSpan.Zero);
                await Transactional.RunAsync(x, static v => { v.Value = 4; }, token);
                int d = await Transactional.RunAsync(x, static v => v.Value);
            }
        }
        """);
}
