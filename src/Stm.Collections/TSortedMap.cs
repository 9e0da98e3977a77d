using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Stm.Collections;

/// <summary>
/// A transactional sorted map: a dictionary kept in key order whose operations compose with every
/// other <see cref="TVar{T}"/> access in one <see cref="Atomic.Run(Action)"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every member may be called inside a transaction, where it joins that transaction, or outside
/// one, where it runs as its own atomic transaction. No member blocks: none calls
/// <see cref="Atomic.Retry"/>.
/// </para>
/// <para>
/// The map is a skip list whose links and values are TVars. Updating the value of an existing key
/// writes only that key's value TVar; inserting or removing a key writes the links of its
/// neighbours, so transactions on keys that are not adjacent do not conflict. <see cref="Count"/>
/// is a commutative counter, exact inside a transaction. Lookups outside a transaction are single
/// atomic reads (linearizable, no transaction, no allocation).
/// </para>
/// <para>
/// Enumeration is in key order and yields a consistent snapshot; so do <see cref="Range"/>,
/// <see cref="Keys"/> and <see cref="Values"/>. Concurrent changes never make them throw.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type; store immutable values.</typeparam>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
[DebuggerTypeProxy(typeof(MapDebugView<,>))]
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "STM collections are named TMap, TSet, TSortedMap after the TVar they are built from.")]
public sealed class TSortedMap<TKey, TValue> : IDictionary<TKey, TValue>, IReadOnlyDictionary<TKey, TValue>, IMapSnapshotSource<TKey, TValue>
    where TKey : notnull
{
    /// <summary>The most levels a node can have (p = 1/4 per extra level: enough for 4^16 keys).</summary>
    private const int MaxLevel = 16;

    /// <summary>The head sentinel: <see cref="MaxLevel"/> links, key never compared.</summary>
    private readonly SortedMapNode<TKey, TValue> _head;

    /// <summary>
    /// How many levels are in use (1 to <see cref="MaxLevel"/>). Read by every operation but
    /// written only when a node taller than every other is inserted (about log4(n) times) and by
    /// <see cref="Clear"/>; never lowered on removal, which would conflict with every reader.
    /// </summary>
    private readonly TVar<int> _level;

    /// <summary>The number of entries: commutative and striped (see <see cref="StripedCount"/>).</summary>
    private readonly StripedCount _count;

    /// <summary>The comparer, or <see langword="null"/> for the default comparer of a value type (devirtualized).</summary>
    private readonly IComparer<TKey>? _comparer;

    private MapKeyCollection<TKey, TValue>? _keys;
    private MapValueCollection<TKey, TValue>? _values;

    /// <summary>Creates an empty map ordered by <see cref="Comparer{T}.Default"/>.</summary>
    public TSortedMap()
        : this((IComparer<TKey>?)null)
    {
    }

    /// <summary>Creates an empty map.</summary>
    /// <param name="comparer">The key order, or <see langword="null"/> for <see cref="Comparer{T}.Default"/>.</param>
    public TSortedMap(IComparer<TKey>? comparer)
    {
        if (!typeof(TKey).IsValueType)
        {
            _comparer = comparer ?? Comparer<TKey>.Default;
        }
        else if (comparer is not null && !ReferenceEquals(comparer, Comparer<TKey>.Default))
        {
            _comparer = comparer;
        }

        _head = new SortedMapNode<TKey, TValue>(MaxLevel);
        _level = new TVar<int>(1);
        _count = new StripedCount();
    }

    /// <summary>Creates a map that holds the given entries.</summary>
    /// <remarks>May be called inside a transaction (the filling joins it) or outside one.</remarks>
    /// <param name="collection">The entries to copy.</param>
    /// <param name="comparer">The key order, or <see langword="null"/> for <see cref="Comparer{T}.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> or one of its keys is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="collection"/> has a key more than once.</exception>
    public TSortedMap(IEnumerable<KeyValuePair<TKey, TValue>> collection, IComparer<TKey>? comparer = null)
        : this(comparer)
    {
        MapInterfaceImplementation.FillFromCollection(this, collection, static (map, key, value) => map.TryAddCore(key, value));
    }

    /// <summary>The comparer that orders the keys.</summary>
    public IComparer<TKey> Comparer => _comparer ?? Comparer<TKey>.Default;

    /// <summary>
    /// The number of entries: exact inside a transaction (where it conflicts with concurrent
    /// inserts and removals), one atomic read outside. Never blocks.
    /// </summary>
    public int Count => _count.Value;

    /// <summary>Whether the map is empty. Inside or outside a transaction; never blocks.</summary>
    public bool IsEmpty => _count.Value == 0;

    /// <summary>
    /// A live read-only view of the keys in order: its count and membership go to the map, its
    /// enumeration is a consistent snapshot. Inside or outside a transaction; never blocks.
    /// </summary>
    public ICollection<TKey> Keys => _keys ??= new MapKeyCollection<TKey, TValue>(this);

    /// <summary>
    /// A live read-only view of the values in key order: its count goes to the map, its
    /// enumeration is a consistent snapshot. Inside or outside a transaction; never blocks.
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
            SortedMapNode<TKey, TValue>? node = FindNode(key);
            if (node is null)
            {
                MapThrowHelper.ThrowKeyNotFound(key);
            }

            return node.Value.Value;
        }

        set
        {
            ArgumentNullException.ThrowIfNull(key);
            Transactional.Run((Map: this, Key: key, Value: value), static args => args.Map.SetCore(args.Key, args.Value));
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
        SortedMapNode<TKey, TValue>? node = FindNode(key);
        if (node is null)
        {
            value = default;
            return false;
        }

        value = node.Value.Value;
        return true;
    }

    /// <summary>Whether the key is present. Inside or outside a transaction; never blocks.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool ContainsKey(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return FindNode(key) is not null;
    }

    /// <summary>Adds the entry if the key is absent. Inside or outside a transaction; never blocks.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> if added; <see langword="false"/> if the key was present (nothing changes).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public bool TryAdd(TKey key, TValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Transactional.Run((Map: this, Key: key, Value: value), static args => args.Map.TryAddCore(args.Key, args.Value));
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
        (bool removed, TValue? removedValue) = Transactional.Run(
            (Map: this, Key: key),
            static args => (args.Map.TryRemoveCore(args.Key, out TValue? v), v));
        value = removedValue!;
        return removed;
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
    /// on conflict) or not at all: it must be free of side effects.
    /// </remarks>
    /// <param name="key">The key.</param>
    /// <param name="valueFactory">Makes the value of an absent key.</param>
    /// <returns>The existing or added value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="valueFactory"/> is null.</exception>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> valueFactory)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(valueFactory);
        return Transactional.Run(
            (Map: this, Key: key, Factory: valueFactory),
            static args => args.Map.GetOrAddCore(args.Key, args.Factory));
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
        return Transactional.Run(
            (Map: this, Key: key, AddValue: addValue, Update: updateValueFactory),
            static args => args.Map.AddOrUpdateCore(args.Key, args.AddValue, args.Update));
    }

    /// <summary>Removes every entry. Inside or outside a transaction; never blocks.</summary>
    /// <remarks>Conflicts with every concurrent transaction that uses the map.</remarks>
    public void Clear() => Transactional.Run(this, static map => map.ClearCore());

    /// <summary>The entry with the smallest key. Inside or outside a transaction; never blocks.</summary>
    /// <param name="key">The smallest key, or default when the map is empty.</param>
    /// <param name="value">Its value, or default when the map is empty.</param>
    /// <returns>Whether the map has an entry.</returns>
    public bool TryGetMin(out TKey key, out TValue value)
    {
        (bool found, key, value) = Transactional.Run(this, static map => map.MinCore());
        return found;
    }

    /// <summary>The entry with the largest key. Inside or outside a transaction; never blocks.</summary>
    /// <param name="key">The largest key, or default when the map is empty.</param>
    /// <param name="value">Its value, or default when the map is empty.</param>
    /// <returns>Whether the map has an entry.</returns>
    public bool TryGetMax(out TKey key, out TValue value)
    {
        (bool found, key, value) = Transactional.Run(this, static map => map.MaxCore());
        return found;
    }

    /// <summary>
    /// A consistent snapshot of the entries whose keys are at least <paramref name="fromInclusive"/>
    /// and below <paramref name="toExclusive"/>, in key order. Inside or outside a transaction;
    /// never blocks. The entries are read when this method is called, not when the result is
    /// enumerated.
    /// </summary>
    /// <param name="fromInclusive">The lower bound, included.</param>
    /// <param name="toExclusive">The upper bound, excluded.</param>
    /// <returns>The entries in the range (empty when the bounds are equal).</returns>
    /// <exception cref="ArgumentNullException">A bound is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fromInclusive"/> is greater than <paramref name="toExclusive"/>.</exception>
    public IEnumerable<KeyValuePair<TKey, TValue>> Range(TKey fromInclusive, TKey toExclusive)
    {
        ArgumentNullException.ThrowIfNull(fromInclusive);
        ArgumentNullException.ThrowIfNull(toExclusive);
        if (Compare(fromInclusive, toExclusive) > 0)
        {
            MapThrowHelper.ThrowRangeReversed();
        }

        return Transactional.Run(
            (Map: this, From: fromInclusive, To: toExclusive),
            static args => args.Map.RangeCore(args.From, args.To));
    }

    /// <summary>
    /// A consistent snapshot of the entries in key order. Inside or outside a transaction; never
    /// blocks.
    /// </summary>
    /// <returns>A new array.</returns>
    public KeyValuePair<TKey, TValue>[] ToArray() => Snapshot();

    /// <summary>
    /// Enumerates a consistent snapshot of the entries in key order; concurrent changes never make
    /// it throw. Inside or outside a transaction; never blocks.
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
    KeyValuePair<TKey, TValue>[] IMapSnapshotSource<TKey, TValue>.Snapshot() => Snapshot();

    /// <inheritdoc/>
    KeyValuePair<TKey, TValue>[] IMapSnapshotSource<TKey, TValue>.ReadForDebugger() => SnapshotCore();

    /// <summary>A height with P(h > k) = 4^-k, at most <see cref="MaxLevel"/>.</summary>
    private static int RandomHeight() =>
        1 + (BitOperations.TrailingZeroCount(Random.Shared.Next() | (1 << ((2 * MaxLevel) - 2))) / 2);

    private int Compare(TKey x, TKey y) =>
        _comparer is null ? Comparer<TKey>.Default.Compare(x, y) : _comparer.Compare(x, y);

    /// <summary>
    /// Finds the node of a key. Inside a transaction, or outside one as single atomic reads: a
    /// node is linked or unlinked at once and is never written after it is unlinked, so the node
    /// found was the key's node at some instant of the search, and its value read afterwards was
    /// its value at some instant when it was still linked.
    /// </summary>
    private SortedMapNode<TKey, TValue>? FindNode(TKey key)
    {
        SortedMapNode<TKey, TValue> x = _head;
        for (int i = _level.Value - 1; i >= 0; i--)
        {
            while (true)
            {
                SortedMapNode<TKey, TValue>? next = x.Next[i].Value;
                if (next is null)
                {
                    break;
                }

                int c = Compare(next.Key, key);
                if (c < 0)
                {
                    x = next;
                }
                else if (c == 0)
                {
                    return next;
                }
                else
                {
                    break;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Fills <paramref name="predecessors"/>[i] with the last node at level i whose key is below
    /// <paramref name="key"/>, for every level in use, and returns the node of the key or null.
    /// Must run inside a transaction.
    /// </summary>
    private SortedMapNode<TKey, TValue>? FindPredecessors(TKey key, SortedMapNode<TKey, TValue>[] predecessors, out int level)
    {
        SortedMapNode<TKey, TValue> x = _head;
        SortedMapNode<TKey, TValue>? next = null;
        level = _level.Value;
        for (int i = level - 1; i >= 0; i--)
        {
            while ((next = x.Next[i].Value) is not null && Compare(next.Key, key) < 0)
            {
                x = next;
            }

            predecessors[i] = x;
        }

        return next is not null && Compare(next.Key, key) == 0 ? next : null;
    }

    private bool TryAddCore(TKey key, TValue value)
    {
        var predecessors = new SortedMapNode<TKey, TValue>[MaxLevel];
        if (FindPredecessors(key, predecessors, out int level) is not null)
        {
            return false;
        }

        Insert(key, value, predecessors, level);
        return true;
    }

    private void SetCore(TKey key, TValue value)
    {
        var predecessors = new SortedMapNode<TKey, TValue>[MaxLevel];
        SortedMapNode<TKey, TValue>? node = FindPredecessors(key, predecessors, out int level);
        if (node is not null)
        {
            node.Value.Value = value;
        }
        else
        {
            Insert(key, value, predecessors, level);
        }
    }

    private void Insert(TKey key, TValue value, SortedMapNode<TKey, TValue>[] predecessors, int level)
    {
        int height = RandomHeight();
        if (height > level)
        {
            for (int i = level; i < height; i++)
            {
                predecessors[i] = _head;
            }

            _level.Value = height;
        }

        var successors = new SortedMapNode<TKey, TValue>?[height];
        for (int i = 0; i < height; i++)
        {
            successors[i] = predecessors[i].Next[i].Value;
        }

        var node = new SortedMapNode<TKey, TValue>(key, value, successors);
        for (int i = 0; i < height; i++)
        {
            predecessors[i].Next[i].Value = node;
        }

        _count.Increment();
    }

    private bool TryRemoveCore(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var predecessors = new SortedMapNode<TKey, TValue>[MaxLevel];
        SortedMapNode<TKey, TValue>? node = FindPredecessors(key, predecessors, out _);
        if (node is null)
        {
            value = default;
            return false;
        }

        for (int i = 0; i < node.Next.Length; i++)
        {
            predecessors[i].Next[i].Value = node.Next[i].Value;
        }

        _count.Decrement();
        value = node.Value.Value;
        return true;
    }

    private TValue GetOrAddCore(TKey key, Func<TKey, TValue> valueFactory)
    {
        SortedMapNode<TKey, TValue>? node = FindNode(key);
        if (node is not null)
        {
            return node.Value.Value;
        }

        TValue value = valueFactory(key);

        // The factory may have added the key itself (it runs in this transaction): keep its value.
        return TryAddCore(key, value) ? value : FindNode(key)!.Value.Value;
    }

    private TValue AddOrUpdateCore(TKey key, TValue addValue, Func<TKey, TValue, TValue> updateValueFactory)
    {
        SortedMapNode<TKey, TValue>? node = FindNode(key);
        TValue value = node is null ? addValue : updateValueFactory(key, node.Value.Value);
        SetCore(key, value);
        return value;
    }

    private void ClearCore()
    {
        foreach (TVar<SortedMapNode<TKey, TValue>?> link in _head.Next)
        {
            if (link.Value is not null)
            {
                link.Value = null;
            }
        }

        _level.Value = 1;
        _count.Reset();
    }

    private (bool Found, TKey Key, TValue Value) MinCore()
    {
        SortedMapNode<TKey, TValue>? first = _head.Next[0].Value;
        return first is null ? (false, default!, default!) : (true, first.Key, first.Value.Value);
    }

    private (bool Found, TKey Key, TValue Value) MaxCore()
    {
        SortedMapNode<TKey, TValue> x = _head;
        for (int i = _level.Value - 1; i >= 0; i--)
        {
            while (x.Next[i].Value is { } next)
            {
                x = next;
            }
        }

        return ReferenceEquals(x, _head) ? (false, default!, default!) : (true, x.Key, x.Value.Value);
    }

    private KeyValuePair<TKey, TValue>[] RangeCore(TKey fromInclusive, TKey toExclusive)
    {
        var result = new List<KeyValuePair<TKey, TValue>>();
        SortedMapNode<TKey, TValue> x = _head;
        for (int i = _level.Value - 1; i >= 0; i--)
        {
            while (x.Next[i].Value is { } next && Compare(next.Key, fromInclusive) < 0)
            {
                x = next;
            }
        }

        for (SortedMapNode<TKey, TValue>? node = x.Next[0].Value; node is not null && Compare(node.Key, toExclusive) < 0; node = node.Next[0].Value)
        {
            result.Add(new KeyValuePair<TKey, TValue>(node.Key, node.Value.Value));
        }

        return [.. result];
    }

    /// <summary>Walks level 0. Inside a transaction (a snapshot), or from the debugger view.</summary>
    private KeyValuePair<TKey, TValue>[] SnapshotCore()
    {
        var result = new List<KeyValuePair<TKey, TValue>>();
        for (SortedMapNode<TKey, TValue>? node = _head.Next[0].Value; node is not null; node = node.Next[0].Value)
        {
            result.Add(new KeyValuePair<TKey, TValue>(node.Key, node.Value.Value));
        }

        return [.. result];
    }

    private KeyValuePair<TKey, TValue>[] Snapshot() => Transactional.Run(this, static map => map.SnapshotCore());

    /// <summary>The debugger display: the committed count, read without starting a transaction.</summary>
    private string DebuggerDisplay => DebuggerRead.Text(this, static map => $"Count = {map._count.ReadForDebugger()}");
}
