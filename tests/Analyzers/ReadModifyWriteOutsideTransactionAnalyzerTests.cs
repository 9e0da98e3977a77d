using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Stm.Analyzers;
using Stm.Tests.Analyzers.Infrastructure;
using Xunit;
using Verifier = Stm.Tests.Analyzers.Infrastructure.AnalyzerVerifier<Stm.Analyzers.ReadModifyWriteOutsideTransactionAnalyzer>;

namespace Stm.Tests.Analyzers;

public sealed class ReadModifyWriteOutsideTransactionAnalyzerTests
{
    [Fact]
    public Task IncrementOfTVarValue_OutsideATransaction_IsReported() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            void M(TVar<int> counter)
            {
                {|#0:counter.Value++|};
            }
        }
        """,
        new DiagnosticResult(StmDiagnostics.ReadModifyWriteOutsideTransaction).WithLocation(0).WithArguments("counter.Value++", "counter.Value"));

    [Fact]
    public Task EveryKindOfUpdate_OnTVarValue_IsReported() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            int M(TVar<int> counter, TVar<string> name)
            {
                {|STM0002:--counter.Value|};
                {|STM0002:counter.Value += 5|};
                {|STM0002:counter.Value <<= 1|};
                {|STM0002:name.Value ??= "none"|};
                return {|STM0002:counter.Value++|};
            }
        }
        """);

    [Fact]
    public Task UpdatesOfTransactionalIndexers_OutsideATransaction_AreReported() => Verifier.VerifyAsync("""
        using Stm.Collections;

        class C
        {
            void M(TArray<int> array, TMap<string, int> map, TSortedMap<int, long> sorted)
            {
                {|STM0002:array[0] += 1|};
                {|STM0002:map["a"]++|};
                {|STM0002:sorted[1] -= 2|};
            }
        }
        """);

    [Fact]
    public Task UpdatesInsideTransactionBodies_AreNotReported() => Verifier.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Stm;
        using Stm.Collections;

        class C
        {
            async Task M(TVar<int> x, TArray<int> array, TMap<string, int> map, List<int> amounts)
            {
                Atomic.Run(() => x.Value++);
                Atomic.Run(() => { array[0] += 1; map["a"]++; });
                int n = Atomic.Run(() => ++x.Value);
                Atomic.TryRun(() => x.Value--, TimeSpan.Zero);
                await Atomic.RunAsync(() => x.Value += 2);
                Atomic.Run(() => Atomic.OrElse(() => x.Value++, () => x.Value--));
                x.Modify(v => { map["modified"]++; return v + 1; });
                using Checkout checkout = Atomic.Checkout();
                checkout.Run(() => x.Value *= 2);
            }
        }
        """);

    [Fact]
    public Task UpdatesInsideTransactionalBodies_AreNotReported() => Verifier.VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Stm;
        using Stm.Collections;

        class C
        {
            async Task M(TVar<int> x, TArray<int> array, TMap<string, int> map, List<int> amounts, CancellationToken token)
            {
                Transactional.Run(x, static v => v.Value++);
                Transactional.Run((Array: array, Map: map), static s => { s.Array[0] += 1; s.Map["a"]++; }, token);
                int n = Transactional.Run(x, static v => ++v.Value);
                Transactional.TryRun(x, static v => v.Value--, TimeSpan.Zero);
                Transactional.TryRun(x, static v => v.Value *= 3, TimeSpan.Zero, out int tripled);
                await Transactional.RunAsync((Var: x, Add: 2), static s => { s.Var.Value += s.Add; });
                int m = await Transactional.RunAsync(x, static v => v.Value <<= 1, token);
                Transactional.Run((Var: x, Amounts: amounts), static s => s.Amounts.ForEach(amount => s.Var.Value += amount));
            }
        }
        """);

    [Fact]
    public Task PrivateHelpersCalledOnlyInsideTransactionalBodies_AreNotReported() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            private readonly TVar<long> _total = new(0);

            public void Deposit(long amount) => Transactional.Run((Account: this, Amount: amount), static s => s.Account.Add(s.Amount));

            public void Reset() => Transactional.Run(this, Clear);

            public long Double() => Transactional.Run(this, static c => c.Twice());

            private void Add(long amount) => _total.Value += amount;

            private long Twice() => _total.Value *= 2;

            private static void Clear(C c) => c._total.Value -= c._total.Value;
        }
        """);

    [Fact]
    public Task UpdatesThatRunOutsideATransactionalBody_AreReported() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            private readonly TVar<long> _total = new(0);

            public void Deposit(long amount)
            {
                Transactional.Run((Account: this, Amount: amount), static s => s.Account.Add(s.Amount));
                Add(amount);
            }

            void M(TVar<int> x) => Transactional.Run(x, static v =>
            {
                v.Value++;
                Atomic.AfterCommit(() => {|STM0002:v.Value++|});
                Task.Run(() => {|STM0002:v.Value += 2|});
            });

            private void Add(long amount) => {|STM0002:_total.Value += amount|};
        }
        """);

    [Fact]
    public Task UpdatesInNestedFunctionsOfABody_AreNotReported() => Verifier.VerifyAsync("""
        using System.Collections.Generic;
        using Stm;

        class C
        {
            void M(TVar<int> x, List<int> amounts)
            {
                Atomic.Run(() =>
                {
                    amounts.ForEach(amount => x.Value += amount);
                    void Bump() => x.Value++;
                    Bump();
                });
            }
        }
        """);

    [Fact]
    public Task UpdatesInFunctionsThatRunOutsideTheTransaction_AreReported() => Verifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void M(TVar<int> x)
            {
                Atomic.Run(() =>
                {
                    Atomic.AfterCommit(() => {|STM0002:x.Value++|});
                    Atomic.AfterRollback(() => {|STM0002:x.Value--|});
                    Task.Run(() => {|STM0002:x.Value += 1|});
                });
            }

            Task N(TVar<int> x) => Atomic.RunAsync(async (checkout, cancellationToken) =>
            {
                checkout.Run(() => x.Value++);
                await Task.Yield();
                {|STM0002:x.Value++|};
            }).AsTask();
        }
        """);

    [Fact]
    public Task PrivateHelpersCalledOnlyInsideBodies_AreNotReported() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            private readonly TVar<long> _total = new(0);

            public void Transfer(TVar<long> from, TVar<long> to, long amount) => Atomic.Run(() => Move(from, to, amount));

            public void Deposit(long amount) => Atomic.Run(() => Add(amount));

            public void Reset() => Atomic.Run(Clear);

            private void Move(TVar<long> from, TVar<long> to, long amount)
            {
                from.Value -= amount;
                to.Value += amount;
                Add(amount);
            }

            private void Add(long amount) => _total.Value += amount;

            private void Clear() => _total.Value *= 0;
        }
        """);

    [Fact]
    public Task HelpersThatCanRunOutsideATransaction_AreReported() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            private readonly TVar<long> _total = new(0);

            public void Deposit(long amount)
            {
                Atomic.Run(() => Add(amount));
                Add(amount);
            }

            public void Increment() => {|STM0002:_total.Value++|};

            private void Add(long amount) => {|STM0002:_total.Value += amount|};

            private void Unused() => {|STM0002:_total.Value--|};
        }
        """);

    [Fact]
    public Task LocalFunctions_AreJudgedByTheirCalls() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            void M(TVar<int> x)
            {
                void Inside() => x.Value++;
                void Outside() => {|STM0002:x.Value--|};
                Atomic.Run(() => Inside());
                Atomic.Run(Inside);
                Outside();
            }
        }
        """);

    [Fact]
    public Task LambdasKeptForLater_AreNotReported() => Verifier.VerifyAsync("""
        using System;
        using Stm;

        class C
        {
            private static readonly TVar<long> s_counter = new(0);
            private static readonly Action s_increment = static () => s_counter.Value++;
            private static readonly Action[] s_steps = [static () => s_counter.Value--];

            void M(TVar<int> x)
            {
                Action increment = () => x.Value++;
                Func<int> next = () => ++x.Value;
                Atomic.Run(increment);
                Atomic.Run(s_increment);
            }
        }
        """);

    [Fact]
    public Task LambdasPassedToOtherMethods_AreNotReported() => Verifier.VerifyAsync("""
        using System;
        using Stm;

        class Worker
        {
            public void Execute(Action body) => Atomic.Run(body);
        }

        class C
        {
            void M(Worker worker, TVar<int> x)
            {
                // The method may run the lambda in a transaction of its own.
                worker.Execute(() => x.Value++);
                worker.Execute(() => Add(x));
            }

            private static void Add(TVar<int> x) => x.Value += 2;
        }
        """);

    [Fact]
    public Task PlainReadsWritesAndOtherTargets_AreNotReported() => Verifier.VerifyAsync("""
        using Stm;

        class Box
        {
            public int Value { get; set; }
        }

        class C
        {
            void M(TVar<int> x, Box box, int[] plain)
            {
                x.Value = 1;
                int y = x.Value + 1;
                box.Value++;
                plain[0] += 1;
                x.Modify(v => v + 1);
            }
        }
        """);

    [Fact]
    public async Task UpdateWithAwait_CannotBeWrapped()
    {
        var diagnostics = await AnalyzerRunner.RunAsync(new ReadModifyWriteOutsideTransactionAnalyzer(), """
            using System.Threading.Tasks;
            using Stm;

            class C
            {
                async Task M(TVar<int> x, Task<int> amount)
                {
                    x.Value += await amount;
                }
            }
            """);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Empty(diagnostic.Properties);
    }

    [Theory]
    [InlineData("TVar<int> x", "x.Value++;", true)]
    [InlineData("TVar<long> x", "x.Value -= 3;", true)]
    [InlineData("TVar<string> x", "x.Value ??= \"a\";", true)]
    [InlineData("TVar<byte> x", "x.Value++;", false)]
    [InlineData("TVar<short> x", "x.Value += 1;", false)]
    [InlineData("TVar<int> x", "int old = x.Value++;", false)]
    [InlineData("Stm.Collections.TArray<int> x", "x[0]++;", false)]
    public async Task ModifyFix_IsOfferedOnlyWhereItMeansTheSame(string parameter, string statement, bool expected)
    {
        var diagnostics = await AnalyzerRunner.RunAsync(new ReadModifyWriteOutsideTransactionAnalyzer(), $$"""
            using Stm;

            class C
            {
                void M({{parameter}})
                {
                    {{statement}}
                }
            }
            """);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.True(diagnostic.Properties.ContainsKey(ReadModifyWriteOutsideTransactionAnalyzer.CanWrapProperty));
        Assert.Equal(expected, diagnostic.Properties.ContainsKey(ReadModifyWriteOutsideTransactionAnalyzer.CanModifyProperty));
    }
}
