using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TSortedMapTests : MapContractTests
{
    protected override Type MapType => typeof(TSortedMap<,>);

    protected override IDictionary<string, int> CreateMap(StringComparer? comparer = null) =>
        new TSortedMap<string, int>(comparer ?? StringComparer.Ordinal);

    protected override int GetOrAdd(IDictionary<string, int> map, string key, Func<string, int> valueFactory) =>
        ((TSortedMap<string, int>)map).GetOrAdd(key, valueFactory);

    protected override int AddOrUpdate(IDictionary<string, int> map, string key, int addValue, Func<string, int, int> updateValueFactory) =>
        ((TSortedMap<string, int>)map).AddOrUpdate(key, addValue, updateValueFactory);

    protected override bool TryAdd(IDictionary<string, int> map, string key, int value) => ((TSortedMap<string, int>)map).TryAdd(key, value);

    protected override bool TryRemove(IDictionary<string, int> map, string key, out int value) =>
        ((TSortedMap<string, int>)map).TryRemove(key, out value);

    [Fact]
    public void Enumerate_RandomInsertionOrder_YieldsKeyOrder()
    {
        var map = new TSortedMap<int, int>();
        int[] keys = [.. Enumerable.Range(0, 2000).OrderBy(i => (i * 7919) % 2003)];
        foreach (int key in keys)
        {
            map.Add(key, -key);
        }

        Assert.Equal(Enumerable.Range(0, 2000), map.Keys);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => -i), map.Values);
        Assert.Equal(Enumerable.Range(0, 2000), map.Select(e => e.Key));
    }

    [Fact]
    public void Enumerate_ReverseComparer_YieldsReverseOrder()
    {
        var map = new TSortedMap<int, string>(Comparer<int>.Create((x, y) => y.CompareTo(x)));
        foreach (int key in new[] { 3, 1, 4, 5, 9, 2, 6 })
        {
            map[key] = key.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(new[] { 9, 6, 5, 4, 3, 2, 1 }, map.Keys);
        Assert.True(map.TryGetMin(out int min, out string? minValue));
        Assert.Equal(9, min);
        Assert.Equal("9", minValue);
    }

    [Fact]
    public void TryGetMinMax_Empty_ReturnFalse()
    {
        var map = new TSortedMap<int, int>();

        Assert.False(map.TryGetMin(out _, out _));
        Assert.False(map.TryGetMax(out _, out _));
        Assert.False(Atomic.Run(() => map.TryGetMax(out _, out _)));
    }

    [Fact]
    public void TryGetMinMax_AfterInsertsAndRemovals_TrackExtremes()
    {
        var map = new TSortedMap<int, int>();
        for (int i = 50; i < 150; i++)
        {
            map[i] = i * 2;
        }

        map.Remove(50);
        map.Remove(149);

        Assert.True(map.TryGetMin(out int min, out int minValue));
        Assert.True(map.TryGetMax(out int max, out int maxValue));
        Assert.Equal((51, 102, 148, 296), (min, minValue, max, maxValue));
    }

    [Fact]
    public void TryGetMinMax_InsideTransaction_SeeOwnWrites()
    {
        var map = new TSortedMap<int, int> { [5] = 5 };

        (int Min, int Max) extremes = Atomic.Run(() =>
        {
            map[1] = 1;
            map[9] = 9;
            map.TryGetMin(out int min, out _);
            map.TryGetMax(out int max, out _);
            return (min, max);
        });

        Assert.Equal((1, 9), extremes);
    }

    [Fact]
    public void Range_Bounds_IncludeFromExcludeTo()
    {
        var map = new TSortedMap<int, int>();
        for (int i = 0; i < 100; i += 2)
        {
            map[i] = i;
        }

        Assert.Equal(new[] { 10, 12, 14, 16, 18 }, map.Range(10, 20).Select(e => e.Key));
        Assert.Equal(new[] { 12, 14, 16, 18, 20 }, map.Range(11, 21).Select(e => e.Key));
        Assert.Empty(map.Range(10, 10));
        Assert.Empty(map.Range(200, 300));
        Assert.Equal(50, map.Range(-5, 1000).Count());
    }

    [Fact]
    public void Range_ReversedOrNullBounds_Throw()
    {
        var map = new TSortedMap<string, int> { ["a"] = 1 };

        Assert.Equal("fromInclusive", Assert.Throws<ArgumentException>(() => map.Range("z", "a")).ParamName);
        Assert.Equal("fromInclusive", Assert.Throws<ArgumentNullException>(() => map.Range(null!, "a")).ParamName);
        Assert.Equal("toExclusive", Assert.Throws<ArgumentNullException>(() => map.Range("a", null!)).ParamName);
    }

    [Fact]
    public void Range_IsReadWhenCalled_LaterWritesNotVisible()
    {
        var map = new TSortedMap<int, int> { [1] = 1, [2] = 2 };

        IEnumerable<KeyValuePair<int, int>> range = map.Range(0, 10);
        map[3] = 3;
        map[1] = 100;

        Assert.Equal(new[] { KeyValuePair.Create(1, 1), KeyValuePair.Create(2, 2) }, range);
    }

    [Fact]
    public void Range_InsideTransaction_SeesOwnWrites()
    {
        var map = new TSortedMap<int, int> { [1] = 1, [2] = 2 };

        int[] keys = Atomic.Run(() =>
        {
            map.Remove(1);
            map[5] = 5;
            return map.Range(0, 10).Select(e => e.Key).ToArray();
        });

        Assert.Equal(new[] { 2, 5 }, keys);
    }

    [Fact]
    public void Comparer_Default_IsReported()
    {
        Assert.Same(Comparer<int>.Default, new TSortedMap<int, int>().Comparer);
    }

    [Fact]
    public void Constructor_FromCollection_SortsAndRejectsDuplicates()
    {
        var map = new TSortedMap<int, string>(new Dictionary<int, string> { [3] = "c", [1] = "a", [2] = "b" });

        Assert.Equal(new[] { "a", "b", "c" }, map.Values);
        var duplicate = new[] { KeyValuePair.Create(1, "a"), KeyValuePair.Create(1, "b") };
        Assert.Equal("collection", Assert.Throws<ArgumentException>(() => new TSortedMap<int, string>(duplicate)).ParamName);
    }

    [Fact]
    public void UpdateExistingKey_InsideTransactionRolledBack_KeepsOldValue()
    {
        var map = new TSortedMap<int, int> { [1] = 1 };

        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            map[1] = 2;
            map.Remove(1);
            throw new InvalidOperationException();
        }));

        Assert.Equal(1, map[1]);
        Assert.Equal(1, Atomic.Run(() => map.Count));
    }
}
