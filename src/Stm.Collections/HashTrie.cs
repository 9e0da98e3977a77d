using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stm.Collections;

/// <summary>
/// The hash array mapped trie behind <c>TMap</c> and <c>TSet</c>.
/// </summary>
/// <remarks>
/// <para>
/// Representation invariant: every slot (the 32 root slots and the 32 slots of every branch) is a
/// <see cref="TVar{T}"/> that holds <see langword="null"/> (empty), an <see cref="Entry"/> array
/// (a bucket: 1 to <see cref="RootBucketCapacity"/> entries in a root slot, 1 to
/// <see cref="BucketCapacity"/> below, with distinct keys whose mixed hashes agree on every bit
/// consumed so far; more only at the last level, where the full hashes are equal) or
/// a branch: a fixed <c>TVar&lt;object?&gt;[32]</c> of child slots indexed by the next 5 bits of
/// the hash, taken from the top (<see cref="SlotIndex"/>). Buckets and branches are bare arrays, with no wrapper object, which saves a pointer
/// hop; a bucket keeps its entries inline, so a lookup compares their hashes in one or two cache
/// lines and reads a key only when its hash matches. Buckets and branch arrays are never changed;
/// only the slot TVars are.
/// </para>
/// <para>
/// Conflict granularity: an operation reads the slots on the path to its key and writes only the
/// last one (plus a commutative update of one stripe of <see cref="_count"/>), so transactions on different keys
/// conflict only when both keys end in the same terminal slot, which is rare once the trie has
/// grown, and a branch is never collapsed again on removal: a collapse would write the parent slot
/// and conflict with every key below it. <see cref="ClearCore"/> drops whole subtrees by emptying the
/// root slots.
/// </para>
/// <para>
/// Reads outside a transaction: a branch is only ever detached from the trie by a commit that
/// empties the root slots, after which no committed transaction writes its slots again (it would
/// have had to read the detached path). A lookup made of single atomic slot reads therefore
/// always sees, for its key, the state of the trie at one instant between its first and last
/// read: it is linearizable without a transaction, so lookups outside one need no
/// <see cref="Atomic.Run{T}(Func{T})"/> and allocate nothing.
/// </para>
/// <para>
/// Writes come last: every <c>Core</c> operation that writes calls the key's hash and equality
/// (user code, which may throw) only before its first write, and none requests a retry, so the
/// public operations run them through <see cref="WritesLastBody"/>: directly inside an enclosing
/// transaction, without a nested scope.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type; <see langword="null"/> is allowed here (the public types check it).</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed partial class HashTrie<TKey, TValue>
{
    /// <summary>Bits of the hash consumed per level.</summary>
    internal const int BitsPerLevel = 5;

    /// <summary>Slots per branch and in the root.</summary>
    internal const int Width = 1 << BitsPerLevel;

    /// <summary>Mask that selects a slot index from the shifted hash.</summary>
    internal const int Mask = Width - 1;

    /// <summary>
    /// The most entries a root slot holds before it is split into a branch.
    /// </summary>
    /// <remarks>
    /// Keys in one bucket conflict with each other. While a map is small (fewer than about
    /// 32 x 8 keys) all of them live in the 32 root slots, so root buckets stay short: two random
    /// keys then share a slot with probability 1/32 only.
    /// </remarks>
    internal const int RootBucketCapacity = 8;

    /// <summary>
    /// The most entries a slot below the root holds before it is split into a branch (except at the
    /// last level, where the entries' full hashes are equal and a bucket grows without bound).
    /// </summary>
    /// <remarks>
    /// A trade-off between memory, lookup depth and update cost. Every branch costs 32 TVars (about
    /// 3.6 KB), so a capacity of 8 split slots of 9 to 16 keys into branches that stayed mostly
    /// empty: a map of 10,000 int keys took 315 bytes per key and most lookups read 3 slots; with 16
    /// it takes about 50 bytes per key and most lookups read 2 (a scan of up to 16 inline hashes
    /// costs less than one more slot read). The price: an overwrite copies a longer bucket (about
    /// 150 bytes instead of 70 for 10,000 int keys). Below the root, two random keys share a slot
    /// with probability below 1/1024 whatever the capacity.
    /// </remarks>
    internal const int BucketCapacity = 16;

    /// <summary>The 32 root slots; fixed for the life of the trie.</summary>
    private readonly TVar<object?>[] _root;

    /// <summary>
    /// The number of entries: commutative and striped, so concurrent inserts and removals of
    /// different keys do not conflict on it, yet exact inside a transaction.
    /// </summary>
    private readonly StripedCount _count;

    /// <summary>The comparer, or <see langword="null"/> for the default comparer of a value type (devirtualized).</summary>
    private readonly IEqualityComparer<TKey>? _comparer;

    /// <summary>Creates an empty trie.</summary>
    /// <param name="comparer">The key comparer, or <see langword="null"/> for the default.</param>
    public HashTrie(IEqualityComparer<TKey>? comparer)
    {
        if (!typeof(TKey).IsValueType)
        {
            _comparer = comparer ?? EqualityComparer<TKey>.Default;
        }
        else if (comparer is not null && !ReferenceEquals(comparer, EqualityComparer<TKey>.Default))
        {
            _comparer = comparer;
        }

        _root = NewSlots();
        _count = new StripedCount();
    }

    /// <summary>The key comparer in use.</summary>
    public IEqualityComparer<TKey> Comparer => _comparer ?? EqualityComparer<TKey>.Default;

    /// <summary>
    /// The number of entries: a transactional read inside a transaction, a read-only transaction outside.
    /// </summary>
    public int Count => _count.Value;

    /// <summary>The number of entries read without a transaction, for the debugger.</summary>
    public int CountForDebugger => _count.ReadForDebugger();

    /// <summary>Looks a key up; inside or outside a transaction; never allocates.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        int hash = Hash(key);
        object? node = _root[SlotIndex(hash, 0)].Value;
        int shift = BitsPerLevel;
        while (node is TVar<object?>[] branch)
        {
            node = branch[SlotIndex(hash, shift)].Value;
            shift += BitsPerLevel;
        }

        if (node is not null)
        {
            // Neither null nor a branch: a bucket, by the representation invariant (no cast check).
            Entry[] bucket = Unsafe.As<Entry[]>(node);
            int index = IndexOf(bucket, hash, key);
            if (index >= 0)
            {
                value = bucket[index].Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Adds the key if absent; inside or outside a transaction.</summary>
    public bool TryAdd(TKey key, TValue value) =>
        WritesLastBody.Run((Trie: this, Key: key, Value: value), static args => args.Trie.TryAddCore(args.Key, args.Value));

    /// <summary>Adds or overwrites; inside or outside a transaction.</summary>
    public void Set(TKey key, TValue value) =>
        WritesLastBody.Run((Trie: this, Key: key, Value: value), static args => args.Trie.SetCore(args.Key, args.Value));

    /// <summary>Removes the key if present; inside or outside a transaction.</summary>
    public bool TryRemove(TKey key, out TValue value)
    {
        (bool removed, value) = WritesLastBody.Run(
            (Trie: this, Key: key),
            static args => (args.Trie.TryRemoveCore(args.Key, out TValue removedValue), removedValue));
        return removed;
    }

    /// <summary>Adds the key if absent. Must run inside a transaction.</summary>
    public bool TryAddCore(TKey key, TValue value)
    {
        int hash = Hash(key);
        TVar<object?> slot = FindSlot(hash, out Entry[]? bucket, out int shift);
        if (bucket is null)
        {
            slot.Value = new[] { new Entry(hash, key, value) };
        }
        else
        {
            if (IndexOf(bucket, hash, key) >= 0)
            {
                return false;
            }

            slot.Value = Add(bucket, new Entry(hash, key, value), shift);
        }

        _count.Increment();
        return true;
    }

    /// <summary>Adds or overwrites. Must run inside a transaction. Returns <see langword="true"/>.</summary>
    public bool SetCore(TKey key, TValue value)
    {
        int hash = Hash(key);
        TVar<object?> slot = FindSlot(hash, out Entry[]? bucket, out int shift);
        if (bucket is null)
        {
            slot.Value = new[] { new Entry(hash, key, value) };
        }
        else
        {
            int index = IndexOf(bucket, hash, key);
            if (index >= 0)
            {
                // Keep the stored key, as Dictionary does when it overwrites a value. (A span copy:
                // Array.Clone is a call into the runtime, several times slower for a small array.)
                Entry[] items = bucket.AsSpan().ToArray();
                items[index].Value = value;
                slot.Value = items;
                return true;
            }

            slot.Value = Add(bucket, new Entry(hash, key, value), shift);
        }

        _count.Increment();
        return true;
    }

    /// <summary>Removes the key if present. Must run inside a transaction.</summary>
    public bool TryRemoveCore(TKey key, out TValue value)
    {
        int hash = Hash(key);
        TVar<object?> slot = FindSlot(hash, out Entry[]? bucket, out _);
        if (bucket is not null)
        {
            int index = IndexOf(bucket, hash, key);
            if (index >= 0)
            {
                value = bucket[index].Value;
                if (bucket.Length == 1)
                {
                    slot.Value = null;
                }
                else
                {
                    Entry[] items = new Entry[bucket.Length - 1];
                    Array.Copy(bucket, 0, items, 0, index);
                    Array.Copy(bucket, index + 1, items, index, bucket.Length - index - 1);
                    slot.Value = items;
                }

                _count.Decrement();
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Removes every entry; inside or outside a transaction.</summary>
    public void Clear() => Transactional.Run(this, static trie => trie.ClearCore());

    /// <summary>Removes every entry. Must run inside a transaction.</summary>
    public void ClearCore()
    {
        foreach (TVar<object?> slot in _root)
        {
            if (slot.Value is not null)
            {
                slot.Value = null;
            }
        }

        _count.Reset();
    }

    /// <summary>
    /// Copies every entry into a new array. Must run inside a transaction (a consistent
    /// snapshot), or from the debugger view (each slot read atomically, no transaction).
    /// </summary>
    public KeyValuePair<TKey, TValue>[] SnapshotCore()
    {
        var result = new List<KeyValuePair<TKey, TValue>>();
        foreach (TVar<object?> slot in _root)
        {
            Collect(slot.Value, result);
        }

        return result.ToArray();
    }

    /// <summary>Takes a consistent snapshot of every entry, inside or outside a transaction.</summary>
    public KeyValuePair<TKey, TValue>[] Snapshot() => Transactional.Run(this, static trie => trie.SnapshotCore());

    /// <summary>Compares two keys with the trie's comparer.</summary>
    internal bool KeyEquals(TKey x, TKey y) =>
        _comparer is null ? EqualityComparer<TKey>.Default.Equals(x, y) : _comparer.Equals(x, y);

    /// <summary>The index of the entry with this key in a bucket, or -1; compares hashes first.</summary>
    /// <remarks>
    /// Two loops, so that with the devirtualized default comparer of a value type the scan makes no
    /// call: inlined into <see cref="TryGetValue"/> (whose TVar reads bring the engine's read paths
    /// along), a loop with an interface call in it lost its registers and spilled its variables to
    /// the stack on every entry.
    /// </remarks>
    internal int IndexOf(Entry[] bucket, int hash, TKey key)
    {
        IEqualityComparer<TKey>? comparer = _comparer;
        if (comparer is null)
        {
            for (int i = 0; i < bucket.Length; i++)
            {
                if (bucket[i].Hash == hash && EqualityComparer<TKey>.Default.Equals(bucket[i].Key, key))
                {
                    return i;
                }
            }
        }
        else
        {
            for (int i = 0; i < bucket.Length; i++)
            {
                if (bucket[i].Hash == hash && comparer.Equals(bucket[i].Key, key))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    /// <summary>
    /// The mixed hash of a key (null hashes to 0 as in <see cref="HashSet{T}"/>): the hash code
    /// times an odd constant (Fibonacci hashing), a bijection, so distinct hash codes stay distinct.
    /// The product's high bits depend on every bit of the hash code, and the trie consumes the
    /// hash from the top (see <see cref="SlotIndex"/>). One multiplication: the mix is the first
    /// step of every lookup, so its latency adds to the whole walk.
    /// </summary>
    internal int Hash(TKey key)
    {
        uint x = key is null
            ? 0u
            : (uint)(_comparer is null ? EqualityComparer<TKey>.Default.GetHashCode(key) : _comparer.GetHashCode(key));
        return (int)(x * 0x9E3779B1U);
    }

    /// <summary>
    /// The slot index at the level that follows the first <paramref name="shift"/> consumed bits:
    /// the next 5 bits of the mixed hash from the top (the root takes bits 27-31). Past the last
    /// full group the rotation wraps onto bits already consumed, which all entries below agree on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int SlotIndex(int hash, int shift) =>
        (int)BitOperations.RotateLeft((uint)hash, shift + BitsPerLevel) & Mask;

    private static TVar<object?>[] NewSlots()
    {
        var slots = new TVar<object?>[Width];
        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = new TVar<object?>(null);
        }

        return slots;
    }

    /// <summary>
    /// The content of a terminal slot at <paramref name="shift"/> once <paramref name="entry"/>
    /// (a new key) joins <paramref name="bucket"/>: a longer bucket, or a branch when it would
    /// exceed the capacity of its level.
    /// </summary>
    private static object Add(Entry[] bucket, Entry entry, int shift)
    {
        Entry[] items = new Entry[bucket.Length + 1];
        bucket.CopyTo(items, 0);
        items[^1] = entry;
        return Build(items, shift);
    }

    /// <summary>
    /// Builds the content of a terminal slot for entries that agree on the hash bits below
    /// <paramref name="shift"/>: the bucket itself, or a branch when there are too many.
    /// </summary>
    private static object Build(Entry[] items, int shift)
    {
        if (items.Length <= (shift == BitsPerLevel ? RootBucketCapacity : BucketCapacity) || shift >= 32)
        {
            return items;
        }

        var groups = new List<Entry>?[Width];
        foreach (Entry entry in items)
        {
            (groups[SlotIndex(entry.Hash, shift)] ??= []).Add(entry);
        }

        var slots = new TVar<object?>[Width];
        for (int i = 0; i < slots.Length; i++)
        {
            List<Entry>? group = groups[i];
            slots[i] = new TVar<object?>(group is null ? null : Build([.. group], shift + BitsPerLevel));
        }

        return slots;
    }

    private static void Collect(object? node, List<KeyValuePair<TKey, TValue>> result)
    {
        switch (node)
        {
            case null:
                return;
            case Entry[] bucket:
                foreach (Entry entry in bucket)
                {
                    result.Add(new KeyValuePair<TKey, TValue>(entry.Key, entry.Value));
                }

                return;
            default:
                foreach (TVar<object?> slot in (TVar<object?>[])node)
                {
                    Collect(slot.Value, result);
                }

                return;
        }
    }

    /// <summary>
    /// Walks from the root to the terminal slot for <paramref name="hash"/>: the first slot on
    /// the path that does not hold a branch.
    /// </summary>
    /// <param name="hash">The mixed hash.</param>
    /// <param name="bucket">The slot's current bucket, or <see langword="null"/> when it is empty.</param>
    /// <param name="shift">The shift of the hash bits that a branch in this slot would consume.</param>
    private TVar<object?> FindSlot(int hash, out Entry[]? bucket, out int shift)
    {
        TVar<object?> slot = _root[SlotIndex(hash, 0)];
        object? node = slot.Value;
        int s = BitsPerLevel;
        while (node is TVar<object?>[] branch)
        {
            slot = branch[SlotIndex(hash, s)];
            node = slot.Value;
            s += BitsPerLevel;
        }

        bucket = Unsafe.As<Entry[]?>(node);
        shift = s;
        return slot;
    }
}
