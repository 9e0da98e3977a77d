using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The writes of the current attempt. Small sets are scanned linearly (cheaper than hashing for the
/// handful of TVars most transactions write); above <see cref="LinearScanLimit"/> entries an index
/// by TVar is kept as well.
/// </summary>
internal sealed class WriteSet
{
    private const int LinearScanLimit = 16;
    private const int InitialCapacity = 8;

    private WriteEntry[] _entries = new WriteEntry[InitialCapacity];
    private int _count;

    /// <summary>Entry positions by TVar, maintained only while <see cref="_indexed"/> is true.</summary>
    private Dictionary<ITVar, int>? _index;
    private bool _indexed;

    /// <summary>Entry indexes in lock order, and their TVar ids (see <see cref="PrepareLockOrder"/>).</summary>
    private int[] _lockOrder = new int[InitialCapacity];
    private long[] _lockKeys = new long[InitialCapacity];

    internal int Count => _count;

    internal ref WriteEntry this[int index] => ref _entries[index];

    internal int IndexOf(ITVar var)
    {
        if (!_indexed)
        {
            WriteEntry[] entries = _entries;
            for (int i = 0; i < _count; i++)
            {
                if (ReferenceEquals(entries[i].Var, var))
                {
                    return i;
                }
            }

            return -1;
        }

        return _index!.TryGetValue(var, out int found) ? found : -1;
    }

    internal void Add(ITVar var, VersionNode node, object? commutes, int scope)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        ref WriteEntry entry = ref _entries[_count];
        entry.Var = var;
        entry.Node = node;
        entry.Commutes = commutes;
        entry.Scope = scope;
        if (_indexed)
        {
            _index!.Add(var, _count);
        }

        _count++;
        if (!_indexed && _count > LinearScanLimit)
        {
            BuildIndex();
        }
    }

    private void BuildIndex()
    {
        _index ??= new Dictionary<ITVar, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _count; i++)
        {
            _index.Add(_entries[i].Var, i);
        }

        _indexed = true;
    }

    /// <summary>Drops the entries at and after <paramref name="count"/> (created by a nested scope being rolled back).</summary>
    internal void TruncateTo(int count)
    {
        for (int i = count; i < _count; i++)
        {
            if (_indexed)
            {
                _index!.Remove(_entries[i].Var);
            }

            _entries[i] = default;
        }

        _count = count;
    }

    /// <summary>
    /// Computes the order in which a committer takes the locks: by TVar id, one global order, so that
    /// committers never wait for each other in a cycle. Sorts indexes, not entries, so no references
    /// move (every reference store into the entry array would pay a GC write barrier).
    /// </summary>
    internal void PrepareLockOrder()
    {
        int count = _count;
        if (_lockOrder.Length < count)
        {
            _lockOrder = new int[_entries.Length];
            _lockKeys = new long[_entries.Length];
        }

        int[] order = _lockOrder;
        if (count == 2)
        {
            // The most common multi-TVar commit (a transfer): one comparison.
            bool swap = TVarState.Of(_entries[0].Var).Id > TVarState.Of(_entries[1].Var).Id;
            order[0] = swap ? 1 : 0;
            order[1] = swap ? 0 : 1;
            return;
        }

        long[] keys = _lockKeys;
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
            keys[i] = TVarState.Of(_entries[i].Var).Id;
        }

        if (count > LinearScanLimit)
        {
            Array.Sort(keys, order, 0, count);
            return;
        }

        for (int i = 1; i < count; i++)
        {
            long key = keys[i];
            int index = order[i];
            int j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                order[j + 1] = order[j];
                j--;
            }

            keys[j + 1] = key;
            order[j + 1] = index;
        }
    }

    /// <summary>The entry whose lock is taken <paramref name="position"/>-th (after <see cref="PrepareLockOrder"/>).</summary>
    internal ref WriteEntry InLockOrder(int position) =>
        ref _entries[_count == 1 ? 0 : _lockOrder[position]];

    /// <summary>Forgets every entry (inlined for the one or two entries of most transactions).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Clear()
    {
        LogBuffer.Clear(ref _entries, _count, InitialCapacity);
        if (_indexed)
        {
            _index!.Clear();
            _indexed = false;
        }

        _count = 0;
    }
}
