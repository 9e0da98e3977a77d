using Microsoft.CodeAnalysis.Testing;
using Stm.Analyzers;
using Xunit;
using Verifier = Stm.Tests.Analyzers.Infrastructure.AnalyzerVerifier<Stm.Analyzers.MutableTVarValueAnalyzer>;

namespace Stm.Tests.Analyzers;

public sealed class MutableTVarValueAnalyzerTests
{
    [Fact]
    public Task TVarOfList_IsReportedWithAnImmutableAlternative() => Verifier.VerifyAsync("""
        using System.Collections.Generic;
        using Stm;

        class C
        {
            private readonly TVar<List<int>> _items = new {|#0:TVar<List<int>>|}(new List<int>());
        }
        """,
        new DiagnosticResult(StmDiagnostics.MutableTVarValue).WithLocation(0).WithArguments("TVar<List<int>>", "ImmutableList<T>"));

    [Fact]
    public Task TVarOfArray_IsReported() => Verifier.VerifyAsync("""
        using Stm;

        class C
        {
            void M()
            {
                var buffer = new {|#0:TVar<int[]>|}(new int[4]);
            }
        }
        """,
        new DiagnosticResult(StmDiagnostics.MutableTVarValue).WithLocation(0)
            .WithArguments("TVar<int[]>", "ImmutableArray<T>, or a TArray<T> whose elements change independently"));

    [Fact]
    public Task TargetTypedCreation_IsReported() => Verifier.VerifyAsync("""
        using System.Collections.Generic;
        using Stm;

        class C
        {
            private readonly TVar<Dictionary<string, int>> _totals = {|#0:new(new Dictionary<string, int>())|};
        }
        """,
        new DiagnosticResult(StmDiagnostics.MutableTVarValue).WithLocation(0)
            .WithArguments("TVar<Dictionary<string, int>>", "ImmutableDictionary<TKey, TValue>, or a TMap<TKey, TValue>"));

    [Fact]
    public Task OtherMutableCollections_AndTypesDerivedFromThem_AreReported() => Verifier.VerifyAsync("""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Collections.ObjectModel;
        using Stm;

        class Names : List<string>
        {
        }

        class C
        {
            void M()
            {
                _ = new {|STM0005:TVar<HashSet<int>>|}(new HashSet<int>());
                _ = new {|STM0005:TVar<Queue<int>>|}(new Queue<int>());
                _ = new {|STM0005:TVar<SortedDictionary<int, string>>|}(new SortedDictionary<int, string>());
                _ = new {|STM0005:TVar<ConcurrentDictionary<int, int>>|}(new ConcurrentDictionary<int, int>());
                _ = new {|STM0005:TVar<ObservableCollection<int>>|}(new ObservableCollection<int>());
                _ = new {|STM0005:TVar<Names>|}(new Names());
            }
        }
        """);

    [Fact]
    public Task ImmutableAndScalarValues_AreNotReported() => Verifier.VerifyAsync("""
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using Stm;

        record Account(string Owner, long Balance);

        class C
        {
            void M<T>(T value)
            {
                _ = new TVar<int>(0);
                _ = new TVar<string>("a");
                _ = new TVar<Account>(new Account("a", 1));
                _ = new TVar<ImmutableList<int>>(ImmutableList<int>.Empty);
                _ = new TVar<ImmutableArray<int>>(ImmutableArray<int>.Empty);
                _ = new TVar<IReadOnlyList<int>>(new List<int>());
                _ = new TVar<T>(value);
            }
        }
        """);
}
