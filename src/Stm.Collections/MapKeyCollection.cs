using System.Collections;
using System.Diagnostics;

namespace Stm.Collections;

/// <summary>
/// The live, read-only view of a transactional map's keys returned by <c>Keys</c>: counting and
/// membership go to the map; enumeration and copying take a consistent snapshot of the map.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
[DebuggerDisplay("Count = {Count}")]
internal sealed class MapKeyCollection<TKey, TValue> : ICollection<TKey>, IReadOnlyCollection<TKey>
{
    private readonly IMapSnapshotSource<TKey, TValue> _map;

    public MapKeyCollection(IMapSnapshotSource<TKey, TValue> map) => _map = map;

    public int Count => _map.Count;

    public bool IsReadOnly => true;

    public void Add(TKey item) => throw MapThrowHelper.ReadOnlyView();

    public void Clear() => throw MapThrowHelper.ReadOnlyView();

    public bool Remove(TKey item) => throw MapThrowHelper.ReadOnlyView();

    public bool Contains(TKey item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _map.ContainsKey(item);
    }

    public void CopyTo(TKey[] array, int arrayIndex)
    {
        MapThrowHelper.CheckCopyToArguments(array, arrayIndex);
        KeyValuePair<TKey, TValue>[] snapshot = _map.Snapshot();
        MapThrowHelper.CheckCopyToSpace(array, arrayIndex, snapshot.Length);
        for (int i = 0; i < snapshot.Length; i++)
        {
            array[arrayIndex + i] = snapshot[i].Key;
        }
    }

    public IEnumerator<TKey> GetEnumerator()
    {
        KeyValuePair<TKey, TValue>[] snapshot = _map.Snapshot();
        var keys = new TKey[snapshot.Length];
        for (int i = 0; i < snapshot.Length; i++)
        {
            keys[i] = snapshot[i].Key;
        }

        return ((IEnumerable<TKey>)keys).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
