using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TMapTests : MapContractTests
{
    protected override Type MapType => typeof(TMap<,>);

    protected override IDictionary<string, int> CreateMap(StringComparer? comparer = null) => new TMap<string, int>(comparer);

    protected override int GetOrAdd(IDictionary<string, int> map, string key, Func<string, int> valueFactory) =>
        ((TMap<string, int>)map).GetOrAdd(key, valueFactory);

    protected override int AddOrUpdate(IDictionary<string, int> map, string key, int addValue, Func<string, int, int> updateValueFactory) =>
        ((TMap<string, int>)map).AddOrUpdate(key, addValue, updateValueFactory);

    protected override bool TryAdd(IDictionary<string, int> map, string key, int value) => ((TMap<string, int>)map).TryAdd(key, value);

    protected override bool TryRemove(IDictionary<string, int> map, string key, out int value) =>
        ((TMap<string, int>)map).TryRemove(key, out value);

    [Fact]
    public void TryUpdate_MatchingAndStaleComparison_UpdatesOnlyWhenEqual()
    {
        var map = new TMap<int, string> { [1] = "a" };

        Assert.False(map.TryUpdate(1, "c", "b"));
        Assert.True(map.TryUpdate(1, "c", "a"));
        Assert.False(map.TryUpdate(2, "c", "a"));
        Assert.Equal("c", map[1]);
        Assert.Single(map);
    }

    [Fact]
    public void GetOrAdd_ValueOverload_AddsOnlyWhenAbsent()
    {
        var map = new TMap<int, string>();

        Assert.Equal("a", map.GetOrAdd(1, "a"));
        Assert.Equal("a", map.GetOrAdd(1, "b"));
        Assert.Equal("a", Atomic.Run(() => map.GetOrAdd(1, "c")));
    }

    [Fact]
    public void GetOrAdd_FactoryAddsTheKeyItself_KeepsFactorysEntry()
    {
        var map = new TMap<int, string>();

        string result = map.GetOrAdd(1, key =>
        {
            map[key] = "inner";
            return "outer";
        });

        Assert.Equal("inner", result);
        Assert.Equal("inner", map[1]);
        Assert.Single(map);
    }

    [Fact]
    public void AddOrUpdate_FactoryOverload_UsesAddFactoryThenUpdateFactory()
    {
        var map = new TMap<int, int>();

        Assert.Equal(10, map.AddOrUpdate(1, k => k * 10, (_, old) => old + 1));
        Assert.Equal(11, map.AddOrUpdate(1, k => k * 10, (_, old) => old + 1));
        Assert.Equal("addValueFactory", Assert.Throws<ArgumentNullException>(() => map.AddOrUpdate(1, null!, (_, old) => old)).ParamName);
        Assert.Equal(11, map[1]);
    }

    [Fact]
    public void Remove_WithOut_ReturnsRemovedValue()
    {
        var map = new TMap<int, string> { [1] = "a" };

        Assert.True(map.Remove(1, out string? value));
        Assert.Equal("a", value);
        Assert.True(map.IsEmpty);
    }

    [Fact]
    public void Constructor_FromCollection_CopiesEntriesAndRejectsDuplicates()
    {
        var map = new TMap<string, int>(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });

        Assert.Equal(2, map.Count);
        Assert.Equal(2, map["b"]);
        var duplicate = new[] { KeyValuePair.Create("a", 1), KeyValuePair.Create("A", 2) };
        Assert.Equal("collection", Assert.Throws<ArgumentException>(() => new TMap<string, int>(duplicate, StringComparer.OrdinalIgnoreCase)).ParamName);
        Assert.Equal("collection", Assert.Throws<ArgumentNullException>(() => new TMap<string, int>((IEnumerable<KeyValuePair<string, int>>)null!)).ParamName);
    }

    [Fact]
    public void Comparer_DefaultAndCustom_AreReported()
    {
        Assert.Same(EqualityComparer<int>.Default, new TMap<int, int>().Comparer);
        Assert.Same(StringComparer.Ordinal, new TMap<string, int>(StringComparer.Ordinal).Comparer);
    }

    [Fact]
    public void AllKeysWithTheSameHash_StillBehaveAsADictionary()
    {
        var map = new TMap<int, int>(new ConstantHashComparer(0));
        for (int i = 0; i < 100; i++)
        {
            map.Add(i, i * 2);
        }

        for (int i = 0; i < 100; i += 2)
        {
            Assert.True(map.Remove(i));
        }

        Assert.Equal(50, map.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (2 * i) + 1), map.Keys.Order());
        Assert.Equal(6, map[3]);
        Assert.False(map.ContainsKey(4));
        map[3] = 7;
        Assert.Equal(7, map[3]);
        Assert.Equal(50, map.Count);
    }

    [Fact]
    public void FewDistinctHashes_MixOfBranchesAndBuckets_BehavesAsADictionary()
    {
        var map = new TMap<int, int>(new ModuloHashComparer(7));
        var model = new Dictionary<int, int>();
        var random = new Random(7);
        for (int i = 0; i < 3000; i++)
        {
            int key = random.Next(400);
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(key), map.Remove(key));
            }
            else
            {
                model[key] = i;
                map[key] = i;
            }
        }

        Assert.Equal(model.Count, map.Count);
        Assert.Equal(model.OrderBy(e => e.Key), map.OrderBy(e => e.Key));
    }

    [Fact]
    public void ValueTypeKeys_ManyEntries_LookupsInsideAndOutsideAgree()
    {
        var map = new TMap<long, long>();
        for (long i = 0; i < 5000; i++)
        {
            map[i * 7919] = i;
        }

        Assert.Equal(5000, map.Count);
        Atomic.Run(() =>
        {
            for (long i = 0; i < 5000; i += 37)
            {
                Assert.Equal(i, map[i * 7919]);
            }
        });
        Assert.False(map.TryGetValue(5, out _));
        Assert.Equal(1234, map[1234 * 7919]);
    }

    [Fact]
    public void ToArray_IsSnapshotOfEntries()
    {
        var map = new TMap<int, int> { [1] = 10, [2] = 20 };

        KeyValuePair<int, int>[] array = map.ToArray();
        map[3] = 30;

        Assert.Equal(new[] { KeyValuePair.Create(1, 10), KeyValuePair.Create(2, 20) }, array.OrderBy(e => e.Key));
    }

    private sealed class ConstantHashComparer(int hash) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == y;

        public int GetHashCode(int obj) => hash;
    }

    private sealed class ModuloHashComparer(int modulus) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => x == y;

        public int GetHashCode(int obj) => obj % modulus;
    }
}
