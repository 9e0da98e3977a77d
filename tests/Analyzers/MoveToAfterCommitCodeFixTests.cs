using Xunit;
using SideEffectVerifier = Stm.Tests.Analyzers.Infrastructure.CodeFixVerifier<
    Stm.Analyzers.SideEffectInTransactionAnalyzer,
    Stm.Analyzers.CodeFixes.MoveToAfterCommitCodeFixProvider>;
using ThreadStartVerifier = Stm.Tests.Analyzers.Infrastructure.CodeFixVerifier<
    Stm.Analyzers.ThreadStartInTransactionAnalyzer,
    Stm.Analyzers.CodeFixes.MoveToAfterCommitCodeFixProvider>;

namespace Stm.Tests.Analyzers;

public sealed class MoveToAfterCommitCodeFixTests
{
    [Fact]
    public Task Statement_MovesIntoAfterCommit() => SideEffectVerifier.VerifyAsync("""
        using System;
        using Stm;

        class C
        {
            void M(TVar<long> balance)
            {
                Atomic.Run(() =>
                {
                    long before = balance.Value;
                    balance.Value = before - 30;
                    // Tell the user.
                    {|STM0003:Console.WriteLine($"withdrew 30 of {before}")|};
                });
            }
        }
        """, """
        using System;
        using Stm;

        class C
        {
            void M(TVar<long> balance)
            {
                Atomic.Run(() =>
                {
                    long before = balance.Value;
                    balance.Value = before - 30;
                    // Tell the user.
                    Atomic.AfterCommit(() => Console.WriteLine($"withdrew 30 of {before}"));
                });
            }
        }
        """);

    [Fact]
    public Task ExpressionBody_MovesIntoAfterCommit() => SideEffectVerifier.VerifyAsync("""
        using System;
        using Stm;

        class C
        {
            void M() => Atomic.Run(() => {|STM0003:Console.WriteLine("x")|});
        }
        """, """
        using System;
        using Stm;

        class C
        {
            void M() => Atomic.Run(() => Atomic.AfterCommit(() => Console.WriteLine("x")));
        }
        """);

    [Fact]
    public Task StatementInACondition_MovesIntoAfterCommit() => SideEffectVerifier.VerifyAsync("""
        using System.IO;
        using Stm;

        class C
        {
            void M(TVar<int> stock)
            {
                Atomic.Run(() =>
                {
                    int left = --stock.Value;
                    if (left == 0)
                    {
                        {|STM0003:File.AppendAllText("alerts.log", "out of stock")|};
                    }
                });
            }
        }
        """, """
        using System.IO;
        using Stm;

        class C
        {
            void M(TVar<int> stock)
            {
                Atomic.Run(() =>
                {
                    int left = --stock.Value;
                    if (left == 0)
                    {
                        Atomic.AfterCommit(() => File.AppendAllText("alerts.log", "out of stock"));
                    }
                });
            }
        }
        """);

    [Fact]
    public Task TaskRun_MovesIntoAfterCommit() => ThreadStartVerifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void Notify() { }

            void M(TVar<int> x) => Atomic.Run(() =>
            {
                x.Value++;
                {|STM0004:Task.Run(Notify)|};
            });
        }
        """, """
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void Notify() { }

            void M(TVar<int> x) => Atomic.Run(() =>
            {
                x.Value++;
                Atomic.AfterCommit(() => Task.Run(Notify));
            });
        }
        """);

    [Fact]
    public Task StatementOfATransactionalBody_MovesIntoAfterCommit() => SideEffectVerifier.VerifyAsync("""
        using System;
        using Stm;

        class C
        {
            void M(TVar<long> balance)
            {
                Transactional.Run((Balance: balance, Amount: 30L), static s =>
                {
                    s.Balance.Value -= s.Amount;
                    {|STM0003:Console.WriteLine($"withdrew {s.Amount}")|};
                });
            }
        }
        """, """
        using System;
        using Stm;

        class C
        {
            void M(TVar<long> balance)
            {
                Transactional.Run((Balance: balance, Amount: 30L), static s =>
                {
                    s.Balance.Value -= s.Amount;
                    Atomic.AfterCommit(() => Console.WriteLine($"withdrew {s.Amount}"));
                });
            }
        }
        """);

    [Fact]
    public Task TaskRunInATransactionalBody_MovesIntoAfterCommit() => ThreadStartVerifier.VerifyAsync("""
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void Notify() { }

            void M(TVar<int> x) => Transactional.Run((Owner: this, Var: x), static s =>
            {
                s.Var.Value++;
                {|STM0004:Task.Run(s.Owner.Notify)|};
            });
        }
        """, """
        using System.Threading.Tasks;
        using Stm;

        class C
        {
            void Notify() { }

            void M(TVar<int> x) => Transactional.Run((Owner: this, Var: x), static s =>
            {
                s.Var.Value++;
                Atomic.AfterCommit(() => Task.Run(s.Owner.Notify));
            });
        }
        """);
}
