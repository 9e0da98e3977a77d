namespace Stm.Internal;

/// <summary>
/// The writes of the current attempt. Small sets are scanned linearly (cheaper than hashing for the
/// handful of TVars most transactions write); above <see cref="LinearScanLimit"/> entries an index
/// by TVar is kept as well.
/// </summary>
internal sealed class WriteSet
{
    private const int LinearScanLimit = 16;
    private const int SmallClearLimit = 8;
    private const int InitialCapacity = 8;
    private const int RetainedCapacity = 4096;

    private WriteEntry[] _entries = new WriteEntry[InitialCapacity];
    private int _count;

    /// <summary>Entry positions by TVar, maintained only while <see cref="_indexed"/> is true.</summary>
    private Dictionary<ITVar, int>? _index;
    private bool _indexed;

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

    internal void Add(ITVar var, object node, object? commutes, int scope)
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

    /// <summary>Orders the entries by TVar id, so that committers take their locks in one global order.</summary>
    internal void SortForCommit()
    {
        WriteEntry[] entries = _entries;
        for (int i = 1; i < _count; i++)
        {
            WriteEntry moving = entries[i];
            long id = moving.Var.Id;
            int j = i - 1;
            while (j >= 0 && entries[j].Var.Id > id)
            {
                entries[j + 1] = entries[j];
                j--;
            }

            entries[j + 1] = moving;
        }

        if (_indexed)
        {
            // Positions moved; nothing looks entries up after this point, but keep the index honest.
            _index!.Clear();
            for (int i = 0; i < _count; i++)
            {
                _index.Add(entries[i].Var, i);
            }
        }
    }

    internal void Clear()
    {
        if (_entries.Length > RetainedCapacity)
        {
            _entries = new WriteEntry[InitialCapacity];
        }
        else if (_count <= SmallClearLimit)
        {
            // Most transactions touch a handful of TVars: a loop beats the Array.Clear call.
            for (int i = 0; i < _count; i++)
            {
                _entries[i] = default;
            }
        }
        else
        {
            Array.Clear(_entries, 0, _count);
        }

        if (_indexed)
        {
            _index!.Clear();
            _indexed = false;
        }

        _count = 0;
    }
}
