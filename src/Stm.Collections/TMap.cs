using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Stm.Collections;

/// <summary>
/// A transactional hash map: a dictionary whose operations compose with every other
/// <see cref="TVar{T}"/> access in one <see cref="Atomic.Run(Action)"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every member may be called inside a transaction, where it joins that transaction and its effects
/// commit or roll back with it, or outside one, where it runs as its own atomic transaction. No
/// member blocks: none calls <see cref="Atomic.Retry"/> (use <see cref="Atomic.Check"/> on
/// <see cref="TryGetValue"/> to wait for a key).
/// </para>
/// <para>
/// The map is a hash array mapped trie whose slots are TVars, so transactions on different keys
/// touch different TVars and do not conflict; <see cref="Count"/> is a commutative counter, so
/// concurrent inserts of different keys do not conflict on it either, yet it is exact inside a
/// transaction. Lookups outside a transaction are a few single atomic reads: linearizable, without
/// starting a transaction and without allocating.
/// </para>
/// <para>
/// Enumeration (including <see cref="Keys"/>, <see cref="Values"/> and LINQ over them) yields a
/// consistent snapshot: inside a transaction the snapshot of that transaction, outside one a copy
/// taken in one atomic transaction. It never throws because of concurrent changes.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type; store immutable values (the map copies references).</typeparam>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
[DebuggerTypeProxy(typeof(MapDebugView<,>))]
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "STM collections are named TMap, TSet, TSortedMap after the TVar they are built from.")]
public sealed class TMap<TKey, TValue> : IDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>, IMapSnapshotSource<TKey, TValue>
    where TKey : notnull
{
    private readonly HashTrie<TKey, TValue> _trie;
    private MapKeyCollection<TKey, TValue>? _keys;
    private MapValueCollection<TKey, TValue>? _values;

    /// <summary>Creates an empty map that uses the default equality comparer for keys.</summary>
    public TMap()
        : this((IEqualityComparer<TKey>?)null)
    {
    }

    /// <summary>Creates an empty map.</summary>
    /// <param name="comparer">The key comparer, or <see langword="null"/> for <see cref="EqualityComparer{T}.Default"/>.</param>
    public TMap(IEqualityComparer<TKey>? comparer) => _trie = new HashTrie<TKey, TValue>(comparer);

    /// <summary>Creates a map that holds the given entries.</summary>
    /// <remarks>May be called inside a transaction (the filling joins it) or outside one.</remarks>
    /// <param name="collection">The entries to copy.</param>
    /// <param name="comparer">The key comparer, or <see langword="null"/> for <see cref="EqualityComparer{T}.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> or one of its keys is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="collection"/> has a key more than once.</exception>
    public TMap(IEnumerable<KeyValuePair<TKey, TValue>> collection, IEqualityComparer<TKey>? comparer = null)
        : this(comparer)
    {
        MapInterfaceImplementation.FillFromCollection(this, collection, static (map, key, value) => map._trie.TryAddCore(key, value));
    }

    /// <summary>The comparer that decides key equality.</summary>
    public IEqualityComparer<TKey> Comparer => _trie.Comparer;

    /// <summary>
    /// The number of entries. Inside a transaction it is exact for that transaction (and makes it
    /// conflict with concurrent inserts and removals); outside, one atomic read. Never blocks.
    /// </summary>
    public int Count => _trie.Count;

    /// <summary>Whether the map is empty. Inside or outside a transaction; never blocks.</summary>
    public bool IsEmpty => _trie.Count == 0;

    /// <summary>
    /// A live read-only view of the keys: its count and membership go to the map, its
    /// enumeration is a consistent snapshot. Inside or outside a transaction; never blocks.
    /// </summary>
    public ICollection<TKey> Keys => _keys ??= new MapKeyCollection<TKey, TValue>(this);

    /// <summary>
    /// A live read-only view of the values: its count goes to the map, its enumeration is a
    /// consistent snapshot. Inside or outside a transaction; never blocks.
    /// </summary>
    public ICollection<TValue> Values => _values ??= new MapValueCollection<TKey, TValue>(this);

    /// <inheritdoc/>
    IEnumerable<TKey> IReadOnlyDictionary<TKey, TValue>.Keys => Keys;

    /// <inheritdoc/>
    IEnumerable<TValue> IReadOnlyDictionary<TKey, TValue>.Values => Values;

    /// <inheritdoc/>
    bool ICollection<KeyValuePair<TKey, TValue>>.IsReadOnly => false;

    /// <summary>
    /// Gets or sets the value of a key. Inside or outside a transaction; never blocks. Reading
    /// outside a transaction starts none and allocates nothing.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">On get: the key is absent.</exception>
    public TValue this[TKey key]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(key);
            if (!_trie.TryGetValue(key, out TValue value))
            {
                MapThrowHelper.ThrowKeyNotFound(key);
            }

            return value;
        }

        set
        {
            ArgumentNullException.ThrowIfNull(key);
            _trie.Set(key, value);
        }
    }

    /// <summary>
    /// Looks a key up. Inside or outside a transaction (outside it starts none and allocates
    /// nothing); never blocks.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, or default when absent.</param>
    /// <returns>Whether the key is present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _trie.TryGetValue(key, out value);
    }

    /// <summary>Whether the key is present. Inside or outside a transaction; never blocks.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool ContainsKey(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _trie.TryGetValue(key, out _);
    }

    /// <summary>Adds the entry if the key is absent. Inside or outside a transaction; never blocks.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> if added; <see langword="false"/> if the key was present (nothing changes).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool TryAdd(TKey key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _trie.TryAdd(key, value);
    }

    /// <summary>Adds an entry. Inside or outside a transaction; never blocks.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is already present (nothing changes).</exception>
    public void Add(TKey key, TValue value)
    {
        if (!TryAdd(key, value))
        {
            MapThrowHelper.ThrowDuplicateKey(key);
        }
    }

    /// <summary>Removes a key and returns its value. Inside or outside a transaction; never blocks.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The removed value, or default when absent.</param>
    /// <returns>Whether the key was present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool TryRemove(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _trie.TryRemove(key, out value);
    }

    /// <summary>Removes a key and returns its value (same as <see cref="TryRemove"/>).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The removed value, or default when absent.</param>
    /// <returns>Whether the key was present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool Remove(TKey key, [MaybeNullWhen(false)] out TValue value) => TryRemove(key, out value);

    /// <summary>Removes a key. Inside or outside a transaction; never blocks.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether the key was present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool Remove(TKey key) => TryRemove(key, out _);

    /// <summary>
    /// Returns the value of a key, adding the value made by <paramref name="valueFactory"/> if it
    /// is absent, all in one transaction. Inside or outside a transaction; never blocks.
    /// </summary>
    /// <remarks>
    /// The factory runs inside the transaction and may run several times (the transaction is re-run
    /// on conflict) or not at all: it must be free of side effects. It may read and write TVars,
    /// which then belong to the same transaction.
    /// </remarks>
    /// <param name="key">The key.</param>
    /// <param name="valueFactory">Makes the value of an absent key.</param>
    /// <returns>The existing or added value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="valueFactory"/> is null.</exception>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> valueFactory)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(valueFactory);
        return GetOrAdd(key, valueFactory, default!);
    }

    /// <summary>
    /// Returns the value of a key, adding <paramref name="value"/> if it is absent. Inside or outside
    /// a transaction; never blocks.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value to add when the key is absent.</param>
    /// <returns>The existing or added value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public TValue GetOrAdd(TKey key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return GetOrAdd(key, null, value);
    }

    /// <summary>
    /// Adds <paramref name="addValue"/> if the key is absent, or replaces the value with
    /// <paramref name="updateValueFactory"/>(key, old value) if present, in one transaction. Inside
    /// or outside a transaction; never blocks.
    /// </summary>
    /// <remarks>
    /// The factory runs inside the transaction and may run several times (the transaction is re-run
    /// on conflict) or not at all: it must be free of side effects.
    /// </remarks>
    /// <param name="key">The key.</param>
    /// <param name="addValue">The value to add when the key is absent.</param>
    /// <param name="updateValueFactory">Makes the new value from the key and the old value.</param>
    /// <returns>The value the key has now.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="updateValueFactory"/> is null.</exception>
    public TValue AddOrUpdate(TKey key, TValue addValue, Func<TKey, TValue, TValue> updateValueFactory)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(updateValueFactory);
        return AddOrUpdate(key, null, addValue, updateValueFactory);
    }

    /// <summary>
    /// Adds <paramref name="addValueFactory"/>(key) if the key is absent, or replaces the value with
    /// <paramref name="updateValueFactory"/>(key, old value) if present, in one transaction. Inside
    /// or outside a transaction; never blocks.
    /// </summary>
    /// <remarks>
    /// The factories run inside the transaction and may run several times (the transaction is
    /// re-run on conflict) or not at all: they must be free of side effects.
    /// </remarks>
    /// <param name="key">The key.</param>
    /// <param name="addValueFactory">Makes the value of an absent key.</param>
    /// <param name="updateValueFactory">Makes the new value from the key and the old value.</param>
    /// <returns>The value the key has now.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public TValue AddOrUpdate(TKey key, Func<TKey, TValue> addValueFactory, Func<TKey, TValue, TValue> updateValueFactory)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(addValueFactory);
        ArgumentNullException.ThrowIfNull(updateValueFactory);
        return AddOrUpdate(key, addValueFactory, default!, updateValueFactory);
    }

    /// <summary>
    /// Replaces the value of a key with <paramref name="newValue"/> if its current value equals
    /// <paramref name="comparisonValue"/> (<see cref="EqualityComparer{T}.Default"/>). Inside or
    /// outside a transaction; never blocks.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="newValue">The new value.</param>
    /// <param name="comparisonValue">The value the key must have.</param>
    /// <returns>Whether the value was replaced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool TryUpdate(TKey key, TValue newValue, TValue comparisonValue)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Transactional.Run(
            (Map: this, Key: key, NewValue: newValue, Comparison: comparisonValue),
            static args => args.Map.TryUpdateCore(args.Key, args.NewValue, args.Comparison));
    }

    /// <summary>Removes every entry. Inside or outside a transaction; never blocks.</summary>
    /// <remarks>Conflicts with every concurrent transaction that uses the map.</remarks>
    public void Clear() => _trie.Clear();

    /// <summary>
    /// A consistent snapshot of the entries, in no particular order. Inside or outside a
    /// transaction; never blocks.
    /// </summary>
    /// <returns>A new array.</returns>
    public KeyValuePair<TKey, TValue>[] ToArray() => _trie.Snapshot();

    /// <summary>
    /// Enumerates a consistent snapshot of the entries, in no particular order; concurrent changes
    /// never make it throw. Inside or outside a transaction; never blocks.
    /// </summary>
    /// <returns>An enumerator over the snapshot.</returns>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() =>
        MapInterfaceImplementation.GetEnumerator<TKey, TValue>(this);

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    void ICollection<KeyValuePair<TKey, TValue>>.Add(KeyValuePair<TKey, TValue> item) => Add(item.Key, item.Value);

    /// <inheritdoc/>
    bool ICollection<KeyValuePair<TKey, TValue>>.Contains(KeyValuePair<TKey, TValue> item) =>
        MapInterfaceImplementation.Contains(this, item);

    /// <inheritdoc/>
    bool ICollection<KeyValuePair<TKey, TValue>>.Remove(KeyValuePair<TKey, TValue> item) =>
        MapInterfaceImplementation.Remove(this, item);

    /// <inheritdoc/>
    void ICollection<KeyValuePair<TKey, TValue>>.CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex) =>
        MapInterfaceImplementation.CopyTo(this, array, arrayIndex);

    /// <inheritdoc/>
    KeyValuePair<TKey, TValue>[] IMapSnapshotSource<TKey, TValue>.Snapshot() => _trie.Snapshot();

    /// <inheritdoc/>
    KeyValuePair<TKey, TValue>[] IMapSnapshotSource<TKey, TValue>.ReadForDebugger() => _trie.SnapshotCore();

    /// <summary>
    /// Both <c>GetOrAdd</c> forms: the value of a present key, or the value of
    /// <paramref name="valueFactory"/> (or <paramref name="value"/> without one) added for an absent key.
    /// </summary>
    private TValue GetOrAdd(TKey key, Func<TKey, TValue>? valueFactory, TValue value)
    {
        // Outside a transaction a present key needs none: the lookup alone is linearizable and
        // allocates nothing.
        if (!Atomic.InTransaction && _trie.TryGetValue(key, out TValue existing))
        {
            return existing;
        }

        return Transactional.Run(
            (Map: this, Key: key, Factory: valueFactory, Value: value),
            static args => args.Map.GetOrAddCore(args.Key, args.Factory, args.Value));
    }

    private TValue GetOrAddCore(TKey key, Func<TKey, TValue>? valueFactory, TValue value)
    {
        if (_trie.TryGetValue(key, out TValue existing))
        {
            return existing;
        }

        if (valueFactory is null)
        {
            _trie.TryAddCore(key, value);
            return value;
        }

        value = valueFactory(key);

        // The factory may have added the key itself (it runs in this transaction): keep its value.
        return _trie.TryAddCore(key, value) ? value : this[key];
    }

    /// <summary>Both <c>AddOrUpdate</c> forms, in one transaction; see <see cref="AddOrUpdateCore"/>.</summary>
    private TValue AddOrUpdate(TKey key, Func<TKey, TValue>? addValueFactory, TValue addValue, Func<TKey, TValue, TValue> updateValueFactory) =>
        Transactional.Run(
            (Map: this, Key: key, AddFactory: addValueFactory, AddValue: addValue, Update: updateValueFactory),
            static args => args.Map.AddOrUpdateCore(args.Key, args.AddFactory, args.AddValue, args.Update));

    private TValue AddOrUpdateCore(TKey key, Func<TKey, TValue>? addValueFactory, TValue addValue, Func<TKey, TValue, TValue> updateValueFactory)
    {
        TValue value = _trie.TryGetValue(key, out TValue old)
            ? updateValueFactory(key, old)
            : addValueFactory is null ? addValue : addValueFactory(key);
        _trie.SetCore(key, value);
        return value;
    }

    private bool TryUpdateCore(TKey key, TValue newValue, TValue comparisonValue)
    {
        if (!_trie.TryGetValue(key, out TValue old) || !EqualityComparer<TValue>.Default.Equals(old, comparisonValue))
        {
            return false;
        }

        _trie.SetCore(key, newValue);
        return true;
    }

    /// <summary>The debugger display: the committed count, read without starting a transaction.</summary>
    private string DebuggerDisplay => DebuggerRead.Text(this, static map => $"Count = {map._trie.CountForDebugger}");
}
