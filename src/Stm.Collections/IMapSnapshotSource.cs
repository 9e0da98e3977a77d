namespace Stm.Collections;

/// <summary>
/// What the shared key and value views and the debugger view need from a transactional map.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal interface IMapSnapshotSource<TKey, TValue>
{
    /// <summary>The number of entries (inside or outside a transaction).</summary>
    int Count { get; }

    /// <summary>Whether the key is present (inside or outside a transaction).</summary>
    bool ContainsKey(TKey key);

    /// <summary>A consistent snapshot of every entry (inside or outside a transaction).</summary>
    KeyValuePair<TKey, TValue>[] Snapshot();

    /// <summary>
    /// The committed entries read slot by slot with single atomic reads, never starting a
    /// transaction (for the debugger; not a consistent snapshot while writers run).
    /// </summary>
    KeyValuePair<TKey, TValue>[] ReadForDebugger();
}
