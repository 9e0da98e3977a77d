using System.Diagnostics;

namespace Stm.Collections;

/// <summary>
/// The debugger view of <see cref="TMap{TKey, TValue}"/> and <see cref="TSortedMap{TKey, TValue}"/>.
/// It never starts a transaction: it reads the committed state slot by slot with single atomic
/// reads (so while writers run it is not necessarily one snapshot).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class MapDebugView<TKey, TValue>
{
    private readonly IMapSnapshotSource<TKey, TValue> _map;

    public MapDebugView(IMapSnapshotSource<TKey, TValue> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        _map = map;
    }

    [DebuggerBrowsable(DebuggerBrowsableState.RootHidden)]
    public KeyValuePair<TKey, TValue>[] Items => DebuggerRead.Items(_map, static map => map.ReadForDebugger());
}
