using Stm.Analyzers.CodeFixes;
using Xunit;
using Verifier = Stm.Tests.Analyzers.Infrastructure.CodeFixVerifier<
    Stm.Analyzers.ReadModifyWriteOutsideTransactionAnalyzer,
    Stm.Analyzers.CodeFixes.ReadModifyWriteCodeFixProvider>;

namespace Stm.Tests.Analyzers;

public sealed class ReadModifyWriteCodeFixTests
{
    [Fact]
    public Task Wrap_IncrementStatement_RunsItInAtomicRun() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            void M(TVar<int> counter)
            {
                {|STM0002:counter.Value++|};
            }
        }
        """, """
        using Stm;

        class C
        {
            void M(TVar<int> counter)
            {
                Atomic.Run(() => counter.Value++);
            }
        }
        """, ReadModifyWriteCodeFixProvider.WrapKey);

    [Fact]
    public Task Wrap_UpdateUsedAsAValue_KeepsTheValue() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            int M(TVar<int> counter)
            {
                int next = {|STM0002:++counter.Value|};
                return next;
            }
        }
        """, """
        using Stm;

        class C
        {
            int M(TVar<int> counter)
            {
                int next = Atomic.Run(() => ++counter.Value);
                return next;
            }
        }
        """, ReadModifyWriteCodeFixProvider.WrapKey);

    [Fact]
    public Task Wrap_MapAndArrayUpdates_EachRunInATransaction() => Verifier.VerifyAsync("""
        using Stm;
        using Stm.Collections;

        class C
        {
            void M(TMap<string, int> map, TArray<long> array, int amount)
            {
                {|STM0002:map["apples"] -= amount|};
                {|STM0002:array[0] += amount * 2|};
            }
        }
        """, """
        using Stm;
        using Stm.Collections;

        class C
        {
            void M(TMap<string, int> map, TArray<long> array, int amount)
            {
                Atomic.Run(() => map["apples"] -= amount);
                Atomic.Run(() => array[0] += amount * 2);
            }
        }
        """, ReadModifyWriteCodeFixProvider.WrapKey);

    [Fact]
    public Task Wrap_WithoutUsingStm_AddsTheUsing() => Verifier.VerifyAsync("""
        using Stm.Collections;

        class C
        {
            void M(TMap<string, int> map)
            {
                {|STM0002:map["a"]++|};
            }
        }
        """, """
        using Stm;
        using Stm.Collections;

        class C
        {
            void M(TMap<string, int> map)
            {
                Atomic.Run(() => map["a"]++);
            }
        }
        """, ReadModifyWriteCodeFixProvider.WrapKey);

    [Fact]
    public Task Modify_CompoundAssignment_BecomesModify() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            void M(TVar<long> total, long a, long b)
            {
                {|STM0002:total.Value += a|};
                {|STM0002:total.Value *= a + b|};
                {|STM0002:total.Value--|};
            }
        }
        """, """
        using Stm;

        class C
        {
            void M(TVar<long> total, long a, long b)
            {
                total.Modify(v => v + a);
                total.Modify(v => v * (a + b));
                total.Modify(v => v - 1);
            }
        }
        """, ReadModifyWriteCodeFixProvider.ModifyKey);

    [Fact]
    public Task Modify_AvoidsNamesAlreadyInScope() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            void M(TVar<string> name, string v)
            {
                {|STM0002:name.Value ??= v|};
            }
        }
        """, """
        using Stm;

        class C
        {
            void M(TVar<string> name, string v)
            {
                name.Modify(value => value ?? v);
            }
        }
        """, ReadModifyWriteCodeFixProvider.ModifyKey);
}
