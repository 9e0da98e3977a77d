namespace Stm.Tests.Properties.Collections;

/// <summary>The members of TMap and TSortedMap that the model tests drive, behind one interface.</summary>
public interface IMapUnderTest
{
    IDictionary<int, int> Map { get; }

    bool TryAdd(int key, int value);

    int GetOrAdd(int key, Func<int, int> valueFactory);

    int AddOrUpdate(int key, int addValue, Func<int, int, int> updateValueFactory);

    bool TryGetMin(out int key, out int value);

    bool TryGetMax(out int key, out int value);

    KeyValuePair<int, int>[] Range(int fromInclusive, int toExclusive);
}
