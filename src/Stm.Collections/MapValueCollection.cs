using System.Collections;
using System.Diagnostics;

namespace Stm.Collections;

/// <summary>
/// The live, read-only view of a transactional map's values returned by <c>Values</c>: counting
/// goes to the map; membership, enumeration and copying take a consistent snapshot of the map.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
[DebuggerDisplay("Count = {Count}")]
internal sealed class MapValueCollection<TKey, TValue> : ICollection<TValue>, IReadOnlyCollection<TValue>
{
    private readonly IMapSnapshotSource<TKey, TValue> _map;

    public MapValueCollection(IMapSnapshotSource<TKey, TValue> map) => _map = map;

    public int Count => _map.Count;

    public bool IsReadOnly => true;

    public void Add(TValue item) => throw MapThrowHelper.ReadOnlyView();

    public void Clear() => throw MapThrowHelper.ReadOnlyView();

    public bool Remove(TValue item) => throw MapThrowHelper.ReadOnlyView();

    public bool Contains(TValue item)
    {
        EqualityComparer<TValue> comparer = EqualityComparer<TValue>.Default;
        foreach (KeyValuePair<TKey, TValue> entry in _map.Snapshot())
        {
            if (comparer.Equals(entry.Value, item))
            {
                return true;
            }
        }

        return false;
    }

    public void CopyTo(TValue[] array, int arrayIndex)
    {
        MapThrowHelper.CheckCopyToArguments(array, arrayIndex);
        KeyValuePair<TKey, TValue>[] snapshot = _map.Snapshot();
        MapThrowHelper.CheckCopyToSpace(array, arrayIndex, snapshot.Length);
        for (int i = 0; i < snapshot.Length; i++)
        {
            array[arrayIndex + i] = snapshot[i].Value;
        }
    }

    public IEnumerator<TValue> GetEnumerator()
    {
        KeyValuePair<TKey, TValue>[] snapshot = _map.Snapshot();
        var values = new TValue[snapshot.Length];
        for (int i = 0; i < snapshot.Length; i++)
        {
            values[i] = snapshot[i].Value;
        }

        return ((IEnumerable<TValue>)values).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
