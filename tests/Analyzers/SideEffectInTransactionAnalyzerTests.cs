using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Stm.Analyzers;
using Stm.Tests.Analyzers.Infrastructure;
using Xunit;
using Verifier = Stm.Tests.Analyzers.Infrastructure.AnalyzerVerifier<Stm.Analyzers.SideEffectInTransactionAnalyzer>;

namespace Stm.Tests.Analyzers;

public sealed class SideEffectInTransactionAnalyzerTests
{
    [Fact]
    public Task ConsoleOutput_InABody_IsReported() => Verifier.VerifyAsync("""
        using System;
        using Stm;

        class C
        {
            void M(TVar<int> x)
            {
                Atomic.Run(() =>
                {
                    x.Value++;
                    {|#0:Console.WriteLine("incremented")|};
                });
            }
        }
        """,
        new DiagnosticResult(StmDiagnostics.SideEffectInTransaction).WithLocation(0).WithArguments("Console.WriteLine"));

    [Fact]
    public Task FileAndNetworkIo_InABody_IsReported() => Verifier.VerifyAsync("""
        using System.IO;
        using System.Net.Http;
        using System.Net.Sockets;
        using Stm;

        class C
        {
            void M(TVar<int> x, HttpClient client, Socket socket, StreamWriter log)
            {
                Atomic.Run(() =>
                {
                    {|STM0003:File.AppendAllText("log.txt", "x")|};
                    using var stream = {|STM0003:new FileStream("data.bin", FileMode.Append)|};
                    {|STM0003:new StreamWriter(stream)|}.Write(x.Value);
                    {|STM0003:log.WriteLine(x.Value)|};
                    {|STM0003:client.GetStringAsync("http://localhost/")|};
                    {|STM0003:socket.Send(new byte[1])|};
                    {|STM0003:Directory.CreateDirectory("out")|};
                });
            }
        }
        """);

    [Fact]
    public Task SleepLocksMonitorAndInterlocked_InABody_AreReported() => Verifier.VerifyAsync("""
        using System.Threading;
        using Stm;

        class C
        {
            private readonly object _gate = new();
            private int _count;

            void M(TVar<int> x)
            {
                Atomic.Run(() =>
                {
                    {|STM0003:Thread.Sleep(1)|};
                    {|STM0003:lock|} (_gate)
                    {
                        x.Value++;
                    }

                    {|STM0003:Monitor.Enter(_gate)|};
                    {|STM0003:Monitor.Exit(_gate)|};
                    {|STM0003:Interlocked.Increment(ref _count)|};
                });
            }
        }
        """);

    [Fact]
    public Task ConsoleProperty_IsReportedOnce() => Verifier.VerifyAsync("""
        using System;
        using Stm;

        class C
        {
            void M() => Atomic.Run(() => {|#0:Console.Out|}.WriteLine("x"));
        }
        """,
        new DiagnosticResult(StmDiagnostics.SideEffectInTransaction).WithLocation(0).WithArguments("Console.Out"));

    [Fact]
    public Task SideEffects_InEveryKindOfBody_AreReported() => Verifier.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            async Task M(TVar<int> x, List<int> items)
            {
                Atomic.TryRun(() => {|STM0003:Console.WriteLine()|}, TimeSpan.Zero);
                await Atomic.RunAsync(() => {|STM0003:Console.WriteLine()|});
                Atomic.Run(() => Atomic.OrElse(() => {|STM0003:Console.WriteLine()|}, () => { }));
                x.Modify(v => { {|STM0003:Console.WriteLine(v)|}; return v + 1; });
                Atomic.Run(() => items.ForEach(item => {|STM0003:Console.WriteLine(item)|}));
                await Atomic.RunAsync(async (checkout, cancellationToken) =>
                {
                    checkout.Run(() => {|STM0003:Console.WriteLine("block")|});
                    await Task.Yield();
                });
            }
        }
        """);

    [Fact]
    public Task SideEffects_InEveryTransactionalBody_AreReported() => Verifier.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            private int _count;

            async Task M(TVar<int> x, List<int> items, CancellationToken token)
            {
                Transactional.Run(x, static v => { v.Value++; {|#0:Console.WriteLine(v.Value)|}; });
                int n = Transactional.Run((Var: x, Path: "log.txt"), static s => { {|STM0003:File.AppendAllText(s.Path, "read")|}; return s.Var.Value; }, token);
                Transactional.Run(this, static c => {|STM0003:Interlocked.Increment(ref c._count)|}, token);
                Transactional.TryRun(x, static v => {|STM0003:Thread.Sleep(v.Value)|}, TimeSpan.Zero);
                Transactional.TryRun(this, static c => { {|STM0003:lock|} (c) { return c._count; } }, TimeSpan.Zero, out int count);
                await Transactional.RunAsync(x, static v => {|STM0003:Console.WriteLine()|}, token);
                int m = await Transactional.RunAsync(x, static v => {|STM0003:Console.Read()|});
                Transactional.Run(items, static list => list.ForEach(item => {|STM0003:Console.WriteLine(item)|}));
                Atomic.Run(() => Transactional.Run(x, static v => {|STM0003:Console.Beep()|}));
            }
        }
        """,
        new DiagnosticResult(StmDiagnostics.SideEffectInTransaction).WithLocation(0).WithArguments("Console.WriteLine"));

    [Fact]
    public Task SideEffectsThatRunOutsideATransactionalBody_AreNotReported() => Verifier.VerifyAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            // Kept for later: the rule does not follow it to where it is run.
            private static readonly Action<TVar<int>> s_log = static v => Console.WriteLine("kept");

            void M(TVar<int> x)
            {
                Console.WriteLine("before");
                Transactional.Run(x, static v =>
                {
                    v.Value++;
                    Atomic.AfterCommit(() => Console.WriteLine(v));
                    Atomic.AfterRollback(() => File.AppendAllText("log.txt", "rolled back"));
                    Task.Run(() => Thread.Sleep(1));
                    if (v.Value > 10)
                    {
                        Transactional.RequestRetry();
                    }
                });
                Transactional.Run(x, s_log);
                Console.WriteLine("after");
            }
        }
        """);

    [Fact]
    public Task SideEffectsThatRunOutsideTheTransaction_AreNotReported() => Verifier.VerifyAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            private long _total;

            async Task M(TVar<int> x)
            {
                Console.WriteLine("before");
                Atomic.Run(() =>
                {
                    x.Value++;
                    Atomic.AfterCommit(() => Console.WriteLine("committed"));
                    Atomic.AfterRollback(() => File.AppendAllText("log.txt", "rolled back"));
                    Task.Run(() => Thread.Sleep(1));
                    var text = new StringWriter();
                    text.Write(x.Value);
                    long seen = Interlocked.Read(ref _total);
                });
                await Atomic.RunAsync(async (checkout, cancellationToken) =>
                {
                    int seen = checkout.Run(() => x.Value);
                    Console.WriteLine(seen);
                    await Task.Yield();
                });
                Console.WriteLine("after");
            }
        }
        """);

    [Theory]
    [InlineData("Console.WriteLine(\"done\");", true)]
    [InlineData("int seen = x.Value; Console.WriteLine(seen);", true)]
    [InlineData("if (x.Value > 0) { Console.WriteLine(\"positive\"); }", true)]
    [InlineData("Interlocked.Increment(ref _count);", true)]
    [InlineData("Console.WriteLine(x.Value);", false)]
    [InlineData("Console.WriteLine(x);", false)]
    [InlineData("for (int i = 0; i < 3; i++) { Console.WriteLine(i); }", false)]
    [InlineData("int seen = 1; Console.WriteLine(seen); seen = 2;", false)]
    [InlineData("using var log = new StringWriter(); Console.WriteLine(log);", false)]
    [InlineData("Thread.Sleep(1);", false)]
    [InlineData("Monitor.Enter(this);", false)]
    [InlineData("var line = Console.ReadLine();", false)]
    public async Task MoveToAfterCommit_IsOfferedOnlyWhereItIsMechanical(string body, bool expected)
    {
        var diagnostics = await AnalyzerRunner.RunAsync(new SideEffectInTransactionAnalyzer(), $$"""
            using System;
            using System.IO;
            using System.Threading;
            using Stm;

            class C
            {
                private int _count;

                void M(TVar<int> x) => Atomic.Run(() => { {{body}} });
            }
            """);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(expected, diagnostic.Properties.ContainsKey(AfterCommitMove.PropertyName));
    }

    [Theory]
    [InlineData("Console.WriteLine(s.Amount);", true)]
    [InlineData("if (s.Amount > 0) { Console.WriteLine(s.Amount); }", true)]
    [InlineData("Console.WriteLine(s.Counter);", false)]
    [InlineData("Console.WriteLine(s.Amount); s.Amount = 2;", false)]
    [InlineData("Console.WriteLine(s); s = (x, 0);", false)]
    [InlineData("Console.WriteLine(n); n++;", false)]
    [InlineData("foreach (var c in \"ab\") { Console.WriteLine(c); }", false)]
    public async Task MoveToAfterCommit_InATransactionalBody_IsOfferedOnlyWhereItIsMechanical(string body, bool expected)
    {
        var diagnostics = await AnalyzerRunner.RunAsync(new SideEffectInTransactionAnalyzer(), $$"""
            using System;
            using Stm;

            class C
            {
                void M(TVar<int> x, int n) => Transactional.Run((Counter: x, Amount: 3), s => { {{body}} });
            }
            """);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(expected, diagnostic.Properties.ContainsKey(AfterCommitMove.PropertyName));
    }
}
