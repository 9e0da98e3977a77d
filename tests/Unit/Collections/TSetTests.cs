using System.Diagnostics;
using System.Reflection;
using Stm.Collections;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TSetTests
{
    private static readonly int[] s_initial = [1, 2, 3, 4, 5];

    public static TheoryData<int[]> Others => new()
    {
        Array.Empty<int>(),
        new[] { 1, 2, 3, 4, 5 },
        new[] { 5, 4, 3, 2, 1, 1, 1 },
        new[] { 1, 2 },
        new[] { 1, 2, 3, 4, 5, 6 },
        new[] { 4, 5, 6, 7, 7 },
        new[] { 8, 9 },
    };

    [Fact]
    public void AddRemoveContains_BehaveAsHashSet()
    {
        var set = new TSet<string>();

        Assert.True(set.Add("a"));
        Assert.False(set.Add("a"));
        Assert.Contains("a", (ISet<string>)set);
        Assert.True(set.Remove("a"));
        Assert.False(set.Remove("a"));
        Assert.True(set.IsEmpty);
    }

    [Fact]
    public void NullElement_IsAValidElement()
    {
        var set = new TSet<string?> { null, "x" };

        Assert.Contains(null, (ISet<string?>)set);
        Assert.Equal(2, set.Count);
        Assert.True(set.Remove(null));
        Assert.Equal(new[] { "x" }, set);
    }

    [Theory]
    [MemberData(nameof(Others))]
    public void UnionWith_MatchesHashSet(int[] other) => AssertMutationMatches(other, (s, o) => s.UnionWith(o), (s, o) => s.UnionWith(o));

    [Theory]
    [MemberData(nameof(Others))]
    public void IntersectWith_MatchesHashSet(int[] other) => AssertMutationMatches(other, (s, o) => s.IntersectWith(o), (s, o) => s.IntersectWith(o));

    [Theory]
    [MemberData(nameof(Others))]
    public void ExceptWith_MatchesHashSet(int[] other) => AssertMutationMatches(other, (s, o) => s.ExceptWith(o), (s, o) => s.ExceptWith(o));

    [Theory]
    [MemberData(nameof(Others))]
    public void SymmetricExceptWith_MatchesHashSet(int[] other) =>
        AssertMutationMatches(other, (s, o) => s.SymmetricExceptWith(o), (s, o) => s.SymmetricExceptWith(o));

    [Theory]
    [MemberData(nameof(Others))]
    public void Predicates_MatchHashSet(int[] other)
    {
        var model = new HashSet<int>(s_initial);
        var set = new TSet<int>(s_initial);

        Assert.Equal(model.IsSubsetOf(other), set.IsSubsetOf(other));
        Assert.Equal(model.IsProperSubsetOf(other), set.IsProperSubsetOf(other));
        Assert.Equal(model.IsSupersetOf(other), set.IsSupersetOf(other));
        Assert.Equal(model.IsProperSupersetOf(other), set.IsProperSupersetOf(other));
        Assert.Equal(model.Overlaps(other), set.Overlaps(other));
        Assert.Equal(model.SetEquals(other), set.SetEquals(other));
        Assert.Equal(model.IsSubsetOf(other), Atomic.Run(() => set.IsSubsetOf(other)));
        Assert.Equal(model.SetEquals(other), set.SetEquals(new TSet<int>(other)));
    }

    [Fact]
    public void SetOperations_WithItself_MatchHashSet()
    {
        var set = new TSet<int>(s_initial);

        Assert.True(set.IsSubsetOf(set));
        Assert.False(set.IsProperSubsetOf(set));
        Assert.True(set.IsSupersetOf(set));
        Assert.False(set.IsProperSupersetOf(set));
        Assert.True(set.Overlaps(set));
        Assert.True(set.SetEquals(set));
        set.UnionWith(set);
        set.IntersectWith(set);
        Assert.Equal(5, set.Count);
        set.SymmetricExceptWith(set);
        Assert.Empty(set);
        set.Add(1);
        set.ExceptWith(set);
        Assert.Empty(set);
    }

    [Fact]
    public void SetOperations_NullOther_ThrowWithParameterNameAndChangeNothing()
    {
        var set = new TSet<int>(s_initial);
        Action<IEnumerable<int>>[] mutations = [set.UnionWith, set.IntersectWith, set.ExceptWith, set.SymmetricExceptWith];
        Func<IEnumerable<int>, bool>[] predicates = [set.IsSubsetOf, set.IsProperSubsetOf, set.IsSupersetOf, set.IsProperSupersetOf, set.Overlaps, set.SetEquals];

        foreach (Action<IEnumerable<int>> mutation in mutations)
        {
            Assert.Equal("other", Assert.Throws<ArgumentNullException>(() => mutation(null!)).ParamName);
        }

        foreach (Func<IEnumerable<int>, bool> predicate in predicates)
        {
            Assert.Equal("other", Assert.Throws<ArgumentNullException>(() => predicate(null!)).ParamName);
        }

        Assert.True(set.SetEquals(s_initial));
    }

    [Fact]
    public void UnionWith_OtherThrowsWhileEnumerated_ChangesNothing()
    {
        var set = new TSet<int>(s_initial);

        Assert.Throws<InvalidOperationException>(() => set.UnionWith(Throwing()));

        Assert.True(set.SetEquals(s_initial));

        static IEnumerable<int> Throwing()
        {
            yield return 100;
            throw new InvalidOperationException();
        }
    }

    [Fact]
    public void UnionWith_OtherIsOneShotSequence_EnumeratedOnce()
    {
        var set = new TSet<int>();
        int enumerations = 0;

        set.UnionWith(OneShot());

        Assert.Equal(1, enumerations);
        Assert.True(set.SetEquals([1, 2, 3]));

        IEnumerable<int> OneShot()
        {
            enumerations++;
            yield return 1;
            yield return 2;
            yield return 3;
        }
    }

    [Fact]
    public void SetOperations_InsideTransactionThatThrows_RollBackWithOtherTVars()
    {
        var set = new TSet<int>(s_initial);
        var other = new TSet<int>([10, 11]);
        var flag = new TVar<bool>(false);

        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            set.UnionWith(other);
            set.ExceptWith([1, 2]);
            other.Clear();
            flag.Write(true);
            throw new InvalidOperationException();
        }));

        Assert.True(set.SetEquals(s_initial));
        Assert.True(other.SetEquals([10, 11]));
        Assert.False(flag.Value);
    }

    [Fact]
    public void MoveElementBetweenSets_InOneTransaction_IsAtomic()
    {
        var from = new TSet<int>([1, 2, 3]);
        var to = new TSet<int>();

        Atomic.Run(() =>
        {
            if (from.Remove(2))
            {
                to.Add(2);
            }
        });

        Assert.True(from.SetEquals([1, 3]));
        Assert.True(to.SetEquals([2]));
        Assert.Equal(3, Atomic.Run(() => from.Count + to.Count));
    }

    [Fact]
    public void Comparer_CaseInsensitive_EquatesElements()
    {
        var set = new TSet<string>(StringComparer.OrdinalIgnoreCase) { "a", "A", "b" };

        Assert.Equal(2, set.Count);
        Assert.Contains("B", (ISet<string>)set);
        Assert.True(set.SetEquals(["A", "B"]));
        Assert.Same(StringComparer.OrdinalIgnoreCase, set.Comparer);
    }

    [Fact]
    public void CopyTo_BadArguments_ThrowAndWriteNothing()
    {
        var set = new TSet<string>(["a", "b", "c"]);
        var array = new string[4];

        Assert.Equal("array", Assert.Throws<ArgumentNullException>(() => set.CopyTo(null!, 0)).ParamName);
        Assert.Equal("arrayIndex", Assert.Throws<ArgumentOutOfRangeException>(() => set.CopyTo(array, -1)).ParamName);
        Assert.Throws<ArgumentException>(() => set.CopyTo(array, 2));
        Assert.All(array, Assert.Null);
        set.CopyTo(array, 1);
        Assert.Equal(new[] { "a", "b", "c" }, array.Skip(1).Order());
    }

    [Fact]
    public void Enumerate_SetChangedDuringEnumeration_YieldsSnapshot()
    {
        var set = new TSet<int>(Enumerable.Range(0, 100));
        var seen = new List<int>();

        foreach (int item in set)
        {
            seen.Add(item);
            set.Remove(item);
            set.Add(item + 1000);
        }

        Assert.Equal(Enumerable.Range(0, 100), seen.Order());
        Assert.True(set.SetEquals(Enumerable.Range(1000, 100)));
        Assert.False(((ICollection<int>)set).IsReadOnly);
    }

    [Fact]
    public void DebuggerViews_ShowCountAndItemsWithoutStartingATransaction()
    {
        var set = new TSet<int>(Enumerable.Range(0, 30));
        Assert.Equal("{DebuggerDisplay,nq}", typeof(TSet<>).GetCustomAttribute<DebuggerDisplayAttribute>()!.Value);
        PropertyInfo display = typeof(TSet<int>).GetProperty("DebuggerDisplay", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var proxyAttribute = typeof(TSet<>).GetCustomAttribute<DebuggerTypeProxyAttribute>()!;
        Type proxyType = Type.GetType(proxyAttribute.ProxyTypeName)!.MakeGenericType(typeof(int));
        object proxy = Activator.CreateInstance(proxyType, set)!;
        long attemptsBefore = TransactionStatistics.Attempts;

        var items = (int[])proxyType.GetProperty("Items")!.GetValue(proxy)!;
        object? shown = display.GetValue(set);

        Assert.Equal(attemptsBefore, TransactionStatistics.Attempts);
        Assert.Equal("Count = 30", shown);
        Assert.Equal(Enumerable.Range(0, 30), items.Order());
    }

    private static void AssertMutationMatches(int[] other, Action<TSet<int>, IEnumerable<int>> apply, Action<HashSet<int>, IEnumerable<int>> model)
    {
        var expected = new HashSet<int>(s_initial);
        model(expected, other);

        var outside = new TSet<int>(s_initial);
        apply(outside, other);
        var inside = new TSet<int>(s_initial);
        Atomic.Run(() => apply(inside, other));
        var fromTSet = new TSet<int>(s_initial);
        apply(fromTSet, new TSet<int>(other));

        Assert.Equal(expected.Order(), outside.Order());
        Assert.Equal(expected.Order(), inside.Order());
        Assert.Equal(expected.Order(), fromTSet.Order());
        Assert.Equal(expected.Count, outside.Count);
    }
}
