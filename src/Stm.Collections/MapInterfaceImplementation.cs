namespace Stm.Collections;

/// <summary>
/// The <see cref="ICollection{T}"/> of <see cref="KeyValuePair{TKey, TValue}"/> plumbing that
/// <see cref="TMap{TKey, TValue}"/> and <see cref="TSortedMap{TKey, TValue}"/> implement the same
/// way, on top of their own lookups, removals and snapshots.
/// </summary>
internal static class MapInterfaceImplementation
{
    /// <summary>
    /// The body of the constructors that take a collection: copies <paramref name="collection"/>,
    /// checks that none of its keys is null, then adds every entry with
    /// <paramref name="tryAddCore"/> in one transaction (joining the caller's, if any).
    /// </summary>
    /// <param name="map">The map being constructed (empty).</param>
    /// <param name="collection">The entries to copy.</param>
    /// <param name="tryAddCore">Adds an entry inside a transaction if its key is absent; a static lambda.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> or one of its keys is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="collection"/> has a key more than once.</exception>
    public static void FillFromCollection<TMap, TKey, TValue>(TMap map, IEnumerable<KeyValuePair<TKey, TValue>> collection, Func<TMap, TKey, TValue, bool> tryAddCore)
    {
        ArgumentNullException.ThrowIfNull(collection);
        KeyValuePair<TKey, TValue>[] entries = [.. collection];
        foreach (KeyValuePair<TKey, TValue> entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry.Key, nameof(collection));
        }

        Transactional.Run((Map: map, Entries: entries, TryAddCore: tryAddCore), static args =>
        {
            foreach (KeyValuePair<TKey, TValue> entry in args.Entries)
            {
                if (!args.TryAddCore(args.Map, entry.Key, entry.Value))
                {
                    MapThrowHelper.ThrowDuplicateKeyInCollection(entry.Key, nameof(collection));
                }
            }
        });
    }

    /// <summary>
    /// <see cref="ICollection{T}.Contains"/>: whether the key is present with a value equal under
    /// <see cref="EqualityComparer{T}.Default"/>. Inside or outside a transaction; never blocks.
    /// </summary>
    /// <exception cref="ArgumentNullException">The key of <paramref name="item"/> is null (ParamName <c>item</c>).</exception>
    public static bool Contains<TMap, TKey, TValue>(TMap map, KeyValuePair<TKey, TValue> item)
        where TMap : IDictionary<TKey, TValue>
    {
        ArgumentNullException.ThrowIfNull(item.Key, nameof(item));
        return map.TryGetValue(item.Key, out TValue? value) && EqualityComparer<TValue>.Default.Equals(value, item.Value);
    }

    /// <summary>
    /// <see cref="ICollection{T}.Remove"/>: removes the key only if its value equals
    /// <paramref name="item"/>'s, in one transaction. Inside or outside a transaction; never blocks.
    /// </summary>
    /// <exception cref="ArgumentNullException">The key of <paramref name="item"/> is null (ParamName <c>item</c>).</exception>
    public static bool Remove<TMap, TKey, TValue>(TMap map, KeyValuePair<TKey, TValue> item)
        where TMap : IDictionary<TKey, TValue>
    {
        ArgumentNullException.ThrowIfNull(item.Key, nameof(item));
        return Transactional.Run((Map: map, Item: item), static args => RemoveCore(args.Map, args.Item));
    }

    /// <summary>
    /// <see cref="ICollection{T}.CopyTo"/> from a consistent snapshot; checks the arguments before
    /// taking it and the space after.
    /// </summary>
    public static void CopyTo<TKey, TValue>(IMapSnapshotSource<TKey, TValue> source, KeyValuePair<TKey, TValue>[] array, int arrayIndex)
    {
        MapThrowHelper.CheckCopyToArguments(array, arrayIndex);
        KeyValuePair<TKey, TValue>[] snapshot = source.Snapshot();
        MapThrowHelper.CheckCopyToSpace(array, arrayIndex, snapshot.Length);
        snapshot.CopyTo(array, arrayIndex);
    }

    /// <summary>An enumerator over a consistent snapshot of the entries.</summary>
    public static IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator<TKey, TValue>(IMapSnapshotSource<TKey, TValue> source) =>
        ((IEnumerable<KeyValuePair<TKey, TValue>>)source.Snapshot()).GetEnumerator();

    /// <summary>The body of <see cref="Remove"/>; must run inside a transaction.</summary>
    private static bool RemoveCore<TMap, TKey, TValue>(TMap map, KeyValuePair<TKey, TValue> item)
        where TMap : IDictionary<TKey, TValue> =>
        map.TryGetValue(item.Key, out TValue? value)
        && EqualityComparer<TValue>.Default.Equals(value, item.Value)
        && map.Remove(item.Key);
}
