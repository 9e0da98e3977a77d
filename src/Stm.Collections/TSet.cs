using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Stm.Collections;

/// <summary>
/// A transactional hash set: a set whose operations compose with every other
/// <see cref="TVar{T}"/> access in one <see cref="Atomic.Run(Action)"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every member may be called inside a transaction, where it joins that transaction, or outside
/// one, where it runs as its own atomic transaction. No member blocks: none calls
/// <see cref="Atomic.Retry"/>.
/// </para>
/// <para>
/// The set is a hash array mapped trie whose slots are TVars: transactions on different elements
/// do not conflict, and <see cref="Count"/> is a commutative counter that is exact inside a
/// transaction. <see cref="Contains"/> outside a transaction is a few single atomic reads:
/// linearizable, without a transaction and without allocating. <see langword="null"/> is a valid
/// element, as in <see cref="HashSet{T}"/>.
/// </para>
/// <para>
/// The set operations (<see cref="UnionWith"/>, <see cref="IsSubsetOf"/>, ...) are atomic with
/// respect to this set. Outside a transaction, an <c>other</c> that is a <see cref="TSet{T}"/> is
/// read in the same transaction; any other sequence is copied once before the transaction starts.
/// Inside a transaction, <c>other</c> is enumerated in it (each time the transaction runs).
/// </para>
/// <para>
/// Enumeration yields a consistent snapshot and never throws because of concurrent changes.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type; store immutable elements.</typeparam>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
[DebuggerTypeProxy(typeof(SetDebugView<>))]
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "STM collections are named TMap, TSet, TSortedMap after the TVar they are built from.")]
public sealed class TSet<T> : ISet<T>, IReadOnlySet<T>
{
    private readonly HashTrie<T, bool> _trie;

    /// <summary>Creates an empty set that uses the default equality comparer.</summary>
    public TSet()
        : this((IEqualityComparer<T>?)null)
    {
    }

    /// <summary>Creates an empty set.</summary>
    /// <param name="comparer">The element comparer, or <see langword="null"/> for <see cref="EqualityComparer{T}.Default"/>.</param>
    public TSet(IEqualityComparer<T>? comparer) => _trie = new HashTrie<T, bool>(comparer);

    /// <summary>Creates a set that holds the distinct elements of <paramref name="collection"/>.</summary>
    /// <remarks>May be called inside a transaction (the filling joins it) or outside one.</remarks>
    /// <param name="collection">The elements.</param>
    /// <param name="comparer">The element comparer, or <see langword="null"/> for <see cref="EqualityComparer{T}.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is null.</exception>
    public TSet(IEnumerable<T> collection, IEqualityComparer<T>? comparer = null)
        : this(comparer)
    {
        ArgumentNullException.ThrowIfNull(collection);
        UnionWith(collection);
    }

    /// <summary>The comparer that decides element equality.</summary>
    public IEqualityComparer<T> Comparer => _trie.Comparer;

    /// <summary>
    /// The number of elements: exact inside a transaction (where it conflicts with concurrent adds
    /// and removes), one atomic read outside. Never blocks.
    /// </summary>
    public int Count => _trie.Count;

    /// <summary>Whether the set is empty. Inside or outside a transaction; never blocks.</summary>
    public bool IsEmpty => _trie.Count == 0;

    /// <inheritdoc/>
    bool ICollection<T>.IsReadOnly => false;

    /// <summary>Adds an element. Inside or outside a transaction; never blocks.</summary>
    /// <param name="item">The element (may be null).</param>
    /// <returns><see langword="true"/> if added; <see langword="false"/> if already present.</returns>
    public bool Add(T item) => _trie.TryAdd(item, true);

    /// <inheritdoc/>
    void ICollection<T>.Add(T item) => Add(item);

    /// <summary>Removes an element. Inside or outside a transaction; never blocks.</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether it was present.</returns>
    public bool Remove(T item) => _trie.TryRemove(item, out _);

    /// <summary>
    /// Whether the element is present. Inside or outside a transaction (outside it starts none and
    /// allocates nothing); never blocks.
    /// </summary>
    /// <param name="item">The element.</param>
    public bool Contains(T item) => _trie.TryGetValue(item, out _);

    /// <summary>Removes every element. Inside or outside a transaction; never blocks.</summary>
    /// <remarks>Conflicts with every concurrent transaction that uses the set.</remarks>
    public void Clear() => _trie.Clear();

    /// <summary>A consistent snapshot of the elements. Inside or outside a transaction; never blocks.</summary>
    /// <returns>A new array, in no particular order.</returns>
    public T[] ToArray() => Keys(_trie.Snapshot());

    /// <summary>Copies a consistent snapshot of the elements into an array. Inside or outside a transaction.</summary>
    /// <param name="array">The destination.</param>
    /// <param name="arrayIndex">Where in <paramref name="array"/> to start.</param>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="arrayIndex"/> is negative or past the end.</exception>
    /// <exception cref="ArgumentException">The elements do not fit.</exception>
    public void CopyTo(T[] array, int arrayIndex)
    {
        MapThrowHelper.CheckCopyToArguments(array, arrayIndex);
        T[] snapshot = ToArray();
        MapThrowHelper.CheckCopyToSpace(array, arrayIndex, snapshot.Length);
        snapshot.CopyTo(array, arrayIndex);
    }

    /// <summary>
    /// Enumerates a consistent snapshot of the elements, in no particular order; concurrent changes
    /// never make it throw. Inside or outside a transaction; never blocks.
    /// </summary>
    /// <returns>An enumerator over the snapshot.</returns>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)ToArray()).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds every element of <paramref name="other"/>, atomically. Inside or outside a transaction; never blocks.</summary>
    /// <param name="other">The elements to add.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public void UnionWith(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            return;
        }

        RunWithElements(other, static (set, items) =>
        {
            foreach (T item in items)
            {
                set._trie.TryAddCore(item, true);
            }
        });
    }

    /// <summary>Keeps only the elements also in <paramref name="other"/>, atomically. Inside or outside a transaction; never blocks.</summary>
    /// <param name="other">The elements to keep.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public void IntersectWith(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            return;
        }

        RunWithElements(other, static (set, items) =>
        {
            var keep = new HashSet<T>(items, set._trie.Comparer);
            foreach (KeyValuePair<T, bool> entry in set._trie.SnapshotCore())
            {
                if (!keep.Contains(entry.Key))
                {
                    set._trie.TryRemoveCore(entry.Key, out _);
                }
            }
        });
    }

    /// <summary>Removes every element of <paramref name="other"/>, atomically. Inside or outside a transaction; never blocks.</summary>
    /// <param name="other">The elements to remove.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public void ExceptWith(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            Clear();
            return;
        }

        RunWithElements(other, static (set, items) =>
        {
            foreach (T item in items)
            {
                set._trie.TryRemoveCore(item, out _);
            }
        });
    }

    /// <summary>
    /// Keeps the elements that are in this set or in <paramref name="other"/> but not in both,
    /// atomically. Inside or outside a transaction; never blocks.
    /// </summary>
    /// <param name="other">The elements to toggle.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public void SymmetricExceptWith(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            Clear();
            return;
        }

        RunWithElements(other, static (set, items) =>
        {
            foreach (T item in new HashSet<T>(items, set._trie.Comparer))
            {
                if (!set._trie.TryRemoveCore(item, out _))
                {
                    set._trie.TryAddCore(item, true);
                }
            }
        });
    }

    /// <summary>Whether every element of this set is in <paramref name="other"/>. Inside or outside a transaction; never blocks.</summary>
    /// <param name="other">The other elements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsSubsetOf(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(other, this) || EvaluateWithElements(other, static (set, items) => set.CountContained(items, out _) == set._trie.Count);
    }

    /// <summary>
    /// Whether every element of this set is in <paramref name="other"/> and <paramref name="other"/>
    /// has more. Inside or outside a transaction; never blocks.
    /// </summary>
    /// <param name="other">The other elements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsProperSubsetOf(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return !ReferenceEquals(other, this) && EvaluateWithElements(other, static (set, items) =>
        {
            int count = set._trie.Count;
            return set.CountContained(items, out int distinct) == count && distinct > count;
        });
    }

    /// <summary>Whether every element of <paramref name="other"/> is in this set. Inside or outside a transaction; never blocks.</summary>
    /// <param name="other">The other elements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsSupersetOf(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(other, this) || EvaluateWithElements(other, static (set, items) =>
        {
            foreach (T item in items)
            {
                if (!set._trie.TryGetValue(item, out _))
                {
                    return false;
                }
            }

            return true;
        });
    }

    /// <summary>
    /// Whether every element of <paramref name="other"/> is in this set and this set has more.
    /// Inside or outside a transaction; never blocks.
    /// </summary>
    /// <param name="other">The other elements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool IsProperSupersetOf(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return !ReferenceEquals(other, this) && EvaluateWithElements(other, static (set, items) =>
            set.CountContained(items, out int distinct) == distinct && set._trie.Count > distinct);
    }

    /// <summary>Whether this set and <paramref name="other"/> share an element. Inside or outside a transaction; never blocks.</summary>
    /// <param name="other">The other elements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool Overlaps(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            return _trie.Count > 0;
        }

        return EvaluateWithElements(other, static (set, items) =>
        {
            foreach (T item in items)
            {
                if (set._trie.TryGetValue(item, out _))
                {
                    return true;
                }
            }

            return false;
        });
    }

    /// <summary>Whether this set and <paramref name="other"/> hold the same elements. Inside or outside a transaction; never blocks.</summary>
    /// <param name="other">The other elements.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool SetEquals(IEnumerable<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(other, this) || EvaluateWithElements(other, static (set, items) =>
            set.CountContained(items, out int distinct) == distinct && set._trie.Count == distinct);
    }

    /// <summary>Reads the elements of another sequence: a transactional snapshot for a TSet, else a copy.</summary>
    private static T[] Elements(IEnumerable<T> other) => other is TSet<T> set ? set.ToArray() : [.. other];

    private static T[] Keys(KeyValuePair<T, bool>[] entries)
    {
        var keys = new T[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            keys[i] = entries[i].Key;
        }

        return keys;
    }

    /// <summary>
    /// Counts the distinct elements of <paramref name="items"/> (under this set's comparer) and
    /// how many of them this set contains. Must run inside a transaction.
    /// </summary>
    private int CountContained(T[] items, out int distinct)
    {
        var seen = new HashSet<T>(items, _trie.Comparer);
        distinct = seen.Count;
        int contained = 0;
        foreach (T item in seen)
        {
            if (_trie.TryGetValue(item, out _))
            {
                contained++;
            }
        }

        return contained;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on this set and the elements of <paramref name="other"/> as
    /// one transaction (joining the caller's, if any).
    /// </summary>
    private void RunWithElements(IEnumerable<T> other, Action<TSet<T>, T[]> operation) =>
        Transactional.Run(
            (Set: this, Other: other, Copy: CopyUnlessTSet(other), Operation: operation),
            static args => args.Operation(args.Set, args.Copy ?? Elements(args.Other)));

    /// <summary>
    /// Evaluates <paramref name="predicate"/> on this set and the elements of <paramref name="other"/>
    /// in one transaction (joining the caller's, if any).
    /// </summary>
    private bool EvaluateWithElements(IEnumerable<T> other, Func<TSet<T>, T[], bool> predicate) =>
        Transactional.Run(
            (Set: this, Other: other, Copy: CopyUnlessTSet(other), Predicate: predicate),
            static args => args.Predicate(args.Set, args.Copy ?? Elements(args.Other)));

    /// <summary>
    /// The elements of <paramref name="other"/> copied before the transaction starts, since its body
    /// may run several times and enumerating an arbitrary sequence is not a TVar read; null for a
    /// <see cref="TSet{T}"/>, whose elements are read inside the transaction, from its snapshot.
    /// </summary>
    private static T[]? CopyUnlessTSet(IEnumerable<T> other) => other is TSet<T> ? null : [.. other];

    /// <summary>The committed elements read without a transaction, for <see cref="SetDebugView{T}"/>.</summary>
    internal T[] ReadForDebugger() => Keys(_trie.SnapshotCore());

    /// <summary>The debugger display: the committed count, read without starting a transaction.</summary>
    private string DebuggerDisplay => DebuggerRead.Text(this, static set => $"Count = {set._trie.CountForDebugger}");
}
