using Microsoft.CodeAnalysis.Testing;
using Stm.Analyzers;
using Xunit;
using Verifier = Stm.Tests.Analyzers.Infrastructure.AnalyzerVerifier<Stm.Analyzers.ThreadStartInTransactionAnalyzer>;

namespace Stm.Tests.Analyzers;

public sealed class ThreadStartInTransactionAnalyzerTests
{
    [Fact]
    public Task TaskRun_InABody_IsReported() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void M(TVar<int> x) => Atomic.Run(() => { {|#0:Task.Run(() => x.Value++)|}; });
        }
        """,
        new DiagnosticResult(StmDiagnostics.ThreadStartInTransaction).WithLocation(0).WithArguments("Task.Run"));

    [Fact]
    public Task EveryWayOfStartingWork_InABody_IsReported() => Verifier.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void M(TVar<int> x, Task pending)
            {
                Atomic.Run(() =>
                {
                    {|STM0004:Task.Factory.StartNew(() => x.Value++)|};
                    {|STM0004:new TaskFactory<int>().StartNew(() => x.Value)|};
                    {|STM0004:pending.Start()|};
                    {|STM0004:Parallel.For(0, 4, i => x.Value += i)|};
                    {|STM0004:Parallel.Invoke(() => { }, () => { })|};
                    {|STM0004:ThreadPool.QueueUserWorkItem(_ => x.Value++)|};
                    var thread = {|#0:new Thread(() => x.Value++)|};
                });
            }
        }
        """,
        new DiagnosticResult(StmDiagnostics.ThreadStartInTransaction).WithLocation(0).WithArguments("new Thread"));

    [Fact]
    public Task WorkStartedOutsideABody_IsNotReported() => Verifier.VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void M(TVar<int> x)
            {
                Task.Run(() => Atomic.Run(() => x.Value++));
                Parallel.For(0, 4, i => Atomic.Run(() => x.Value += i));
                new Thread(() => Atomic.Run(() => x.Value++)).Start();
                Atomic.Run(() =>
                {
                    var notStarted = new Task(() => { });
                    Atomic.AfterCommit(() => Task.Run(() => { }));
                    ThreadPool.GetAvailableThreads(out int workers, out int io);
                });
            }
        }
        """);

    [Fact]
    public Task WorkStarted_InATransactionalBody_IsReported() => Verifier.VerifyAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            async Task M(TVar<int> x)
            {
                Transactional.Run(x, static v => { v.Value++; {|#0:Task.Run(() => v.Value++)|}; });
                Transactional.TryRun(x, static v => {|STM0004:Parallel.For(0, 4, i => v.Value += i)|}, TimeSpan.Zero);
                await Transactional.RunAsync(x, static v => {|STM0004:ThreadPool.QueueUserWorkItem(_ => v.Value++)|});
                Transactional.Run(x, static v => { var thread = {|STM0004:new Thread(() => v.Value++)|}; }, CancellationToken.None);
            }
        }
        """,
        new DiagnosticResult(StmDiagnostics.ThreadStartInTransaction).WithLocation(0).WithArguments("Task.Run"));

    [Fact]
    public Task WorkStartedOutsideATransactionalBody_IsNotReported() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void M(TVar<int> x)
            {
                Task.Run(() => Transactional.Run(x, static v => v.Value++));
                Parallel.For(0, 4, i => Transactional.Run((Var: x, Add: i), static s => s.Var.Value += s.Add));
                Transactional.Run(x, static v =>
                {
                    v.Value++;
                    Atomic.AfterCommit(() => Task.Run(() => { }));
                });
            }
        }
        """);
}
