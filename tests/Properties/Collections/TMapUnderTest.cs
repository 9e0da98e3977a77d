using Stm.Collections;

namespace Stm.Tests.Properties.Collections;

public sealed class TMapUnderTest(TMap<int, int> map) : IMapUnderTest
{
    public IDictionary<int, int> Map => map;

    public bool TryAdd(int key, int value) => map.TryAdd(key, value);

    public int GetOrAdd(int key, Func<int, int> valueFactory) => map.GetOrAdd(key, valueFactory);

    public int AddOrUpdate(int key, int addValue, Func<int, int, int> updateValueFactory) => map.AddOrUpdate(key, addValue, updateValueFactory);

    public bool TryGetMin(out int key, out int value) => throw new NotSupportedException("TMap is unordered.");

    public bool TryGetMax(out int key, out int value) => throw new NotSupportedException("TMap is unordered.");

    public KeyValuePair<int, int>[] Range(int fromInclusive, int toExclusive) => throw new NotSupportedException("TMap is unordered.");
}
