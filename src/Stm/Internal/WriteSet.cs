using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The write log of the current attempt: for each TVar written, the pending version node the commit
/// publishes (or the commutes it applies), and the nesting scope that owns that pending value; and
/// what a nested scope needs to roll back: where each open scope began, and an
/// <see cref="UndoRecord"/> for every entry a scope changed that an outer scope owned.
/// </summary>
/// <remarks>
/// <para>Invariants (checked with <c>Debug.Assert</c> in Debug builds):</para>
/// <list type="bullet">
/// <item>Each TVar has at most one entry, and every entry's <see cref="WriteEntry.Scope"/> is at most <see cref="Depth"/>.</item>
/// <item>Scope <c>d</c> (1 to <see cref="Depth"/>) began at <c>_scopes[d]</c>: the entries from its
/// <see cref="ScopeMark.WriteCount"/> on were created in it or deeper, and the undo records from its
/// <see cref="ScopeMark.UndoCount"/> on were saved in it or deeper. So rolling a scope back is:
/// restore its undo records newest first, then drop the entries it created.</item>
/// <item>An undo record keeps what its entry held before a deeper scope first changed it, so its
/// <see cref="UndoRecord.Scope"/> is below the scope that saved it; a scope saves at most one record per entry.</item>
/// <item>After <see cref="PrepareLockOrder"/>, <see cref="InLockOrder"/> visits every entry once, by strictly increasing TVar id.</item>
/// <item>Nothing is added or changed once the commit has published the entries (until <see cref="Clear"/>).</item>
/// </list>
/// <para>Reads are not logged here and never undone: the reads of a rolled-back branch still decide
/// when a retrying transaction wakes (see <see cref="ReadSet"/>). Small sets are scanned linearly
/// (cheaper than hashing for the handful of TVars most transactions write); above
/// <see cref="LinearScanLimit"/> entries an index by TVar is kept as well.</para>
/// </remarks>
internal sealed class WriteSet
{
    private const int LinearScanLimit = 16;
    private const int InitialCapacity = 8;
    private const int InitialScopeCapacity = 4;

    private WriteEntry[] _entries = new WriteEntry[InitialCapacity];
    private int _count;

    /// <summary>Entry positions by TVar, maintained only while <see cref="_indexed"/> is true.</summary>
    private Dictionary<ITVar, int>? _index;
    private bool _indexed;

    /// <summary>Entry indexes in lock order, and their TVar ids (see <see cref="PrepareLockOrder"/>).</summary>
    private int[] _lockOrder = new int[InitialCapacity];
    private long[] _lockKeys = new long[InitialCapacity];

    /// <summary>Undo records of the open nested scopes, oldest first; the first <see cref="_undoCount"/> are live.</summary>
    private UndoRecord[] _undo = new UndoRecord[InitialScopeCapacity];
    private int _undoCount;

    /// <summary>Where each open nested scope began, by depth (index 0, the top level, is unused).</summary>
    private ScopeMark[] _scopes = new ScopeMark[InitialScopeCapacity];

    /// <summary>Nesting depth of the scope running now: 0 for the top level.</summary>
    private int _depth;

    /// <summary>Debug builds only: set once the commit has published the entries, cleared by <see cref="Clear"/>.</summary>
    private bool _published;

    internal int Count => _count;

    /// <summary>Nesting depth of the scope running now: 0 for the top level.</summary>
    internal int Depth => _depth;

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

    /// <summary>Adds the entry of a TVar this attempt has not written yet, owned by the scope running now.</summary>
    internal void Add(ITVar var, VersionNode node, object? commutes)
    {
        Debug.Assert(!_published, "nothing is written once the commit has published");
        Debug.Assert(IndexOf(var) < 0, "a TVar has at most one entry");
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        ref WriteEntry entry = ref _entries[_count];
        entry.Var = var;
        entry.Node = node;
        entry.Commutes = commutes;
        entry.Scope = _depth;
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

    /// <summary>Replaces the pending value of entry <paramref name="index"/>, copying it first if an outer scope owns it.</summary>
    internal void SetPendingValue<T>(int index, T value)
    {
        ref WriteEntry entry = ref _entries[index];
        Debug.Assert(!_published, "nothing is written once the commit has published");
        Debug.Assert(entry.Scope <= _depth, "an entry belongs to an open scope");
        if (entry.Scope == _depth)
        {
            Unsafe.As<VersionNode<T>>(entry.Node).Value = value;
            entry.Commutes = null;
            return;
        }

        SaveUndo(index);
        entry.Node = new VersionNode<T> { Value = value };
        entry.Commutes = null;
        entry.Scope = _depth;
    }

    /// <summary>
    /// Appends <paramref name="update"/> to the pending commutes of entry <paramref name="index"/>
    /// (which has some), copying the list first if an outer scope owns it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AppendCommute<T>(int index, Func<T, T> update)
    {
        ref WriteEntry entry = ref _entries[index];
        Debug.Assert(!_published, "nothing is written once the commit has published");
        Debug.Assert(entry.Commutes is not null && entry.Scope <= _depth, "an open scope's entry with commutes");
        if (entry.Scope == _depth)
        {
            entry.Commutes = CommuteList<T>.Append(entry.Commutes, update, shareable: true);
            return;
        }

        SaveUndo(index);
        entry.Commutes = CommuteList<T>.Append(entry.Commutes, update, shareable: false);
        entry.Scope = _depth;
    }

    /// <summary>
    /// Opens a nested scope and returns its depth. <paramref name="handlerCount"/> is where the
    /// transaction's handler list stands, kept with the scope's marks so that one array serves both logs.
    /// </summary>
    internal int EnterScope(int handlerCount)
    {
        int depth = _depth + 1;
        if (depth == _scopes.Length)
        {
            Array.Resize(ref _scopes, _scopes.Length * 2);
        }

        ref ScopeMark mark = ref _scopes[depth];
        mark.WriteCount = _count;
        mark.UndoCount = _undoCount;
        mark.HandlerCount = handlerCount;
        _depth = depth;
        return depth;
    }

    /// <summary>Merges scope <paramref name="depth"/>, the innermost open one, into its parent.</summary>
    internal void CommitScope(int depth)
    {
        Debug.Assert(depth == _depth && depth > 0, "only the innermost open scope commits");
        int parent = depth - 1;
        ref ScopeMark mark = ref _scopes[depth];
        for (int i = mark.WriteCount; i < _count; i++)
        {
            _entries[i].Scope = parent;
        }

        // An undo record keeps what an entry held before this scope changed it. If the parent had
        // already changed that entry itself (saved scope == parent), the parent's own record or its
        // creation of the entry covers it: drop it. Otherwise the parent never touched the entry, and
        // the record now says what to restore when the parent rolls back.
        int kept = mark.UndoCount;
        for (int i = mark.UndoCount; i < _undoCount; i++)
        {
            UndoRecord record = _undo[i];
            _entries[record.EntryIndex].Scope = parent;
            if (record.Scope < parent)
            {
                _undo[kept++] = record;
            }
        }

        Array.Clear(_undo, kept, _undoCount - kept);
        _undoCount = kept;
        _depth = parent;
    }

    /// <summary>
    /// Rolls back scope <paramref name="depth"/> and every scope still open inside it (a signal can
    /// unwind through inner scopes without closing them): restores the pending values the outer scope
    /// had and drops the entries created since. Returns where the handler list stood when the scope
    /// began; the caller rolls the handlers back to there.
    /// </summary>
    internal int RollBackScope(int depth)
    {
        Debug.Assert(depth > 0 && depth <= _depth, "only an open scope rolls back");
        ref ScopeMark mark = ref _scopes[depth];
        for (int i = _undoCount - 1; i >= mark.UndoCount; i--)
        {
            UndoRecord record = _undo[i];
            ref WriteEntry entry = ref _entries[record.EntryIndex];
            entry.Node = record.Node;
            entry.Commutes = record.Commutes;
            entry.Scope = record.Scope;
        }

        Array.Clear(_undo, mark.UndoCount, _undoCount - mark.UndoCount);
        _undoCount = mark.UndoCount;
        TruncateTo(mark.WriteCount);
        _depth = depth - 1;
        return mark.HandlerCount;
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
            AssertLockOrder();
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
        }
        else
        {
            InsertionSort(keys, order, count);
        }

        AssertLockOrder();
    }

    /// <summary>The entry whose lock is taken <paramref name="position"/>-th (after <see cref="PrepareLockOrder"/>).</summary>
    internal ref WriteEntry InLockOrder(int position) =>
        ref _entries[_count == 1 ? 0 : _lockOrder[position]];

    /// <summary>Records, in Debug builds, that the commit has published the entries: nothing may change them any more.</summary>
    [Conditional("DEBUG")]
    internal void MarkPublished() => _published = true;

    /// <summary>
    /// Forgets every entry, undo record and open scope, ready for the next attempt (inlined for the
    /// one or two entries of most transactions).
    /// </summary>
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
        if (_undoCount != 0)
        {
            Array.Clear(_undo, 0, _undoCount);
            _undoCount = 0;
        }

        _depth = 0;
        ClearPublished();
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

    /// <summary>Keeps what entry <paramref name="entryIndex"/> holds, owned by an outer scope, before the scope running now changes it.</summary>
    private void SaveUndo(int entryIndex)
    {
        if (_undoCount == _undo.Length)
        {
            Array.Resize(ref _undo, _undo.Length * 2);
        }

        ref WriteEntry entry = ref _entries[entryIndex];
        Debug.Assert(entry.Scope < _depth, "only an outer scope's entry needs an undo record");
        _undo[_undoCount++] = new UndoRecord
        {
            EntryIndex = entryIndex,
            Node = entry.Node,
            Commutes = entry.Commutes,
            Scope = entry.Scope,
        };
    }

    /// <summary>Drops the entries at and after <paramref name="count"/> (created by a nested scope being rolled back).</summary>
    private void TruncateTo(int count)
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

    /// <summary>Sorts the first <paramref name="count"/> keys ascending, moving the entry indexes with them (a handful of entries).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InsertionSort(long[] keys, int[] order, int count)
    {
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

    [Conditional("DEBUG")]
    private void ClearPublished() => _published = false;

    /// <summary>Checks, in Debug builds, that the lock order visits every entry once by strictly increasing TVar id.</summary>
    [Conditional("DEBUG")]
    private void AssertLockOrder()
    {
        for (int i = 1; i < _count; i++)
        {
            Debug.Assert(
                TVarState.Of(_entries[_lockOrder[i - 1]].Var).Id < TVarState.Of(_entries[_lockOrder[i]].Var).Id,
                "locks are taken by strictly increasing TVar id");
        }
    }
}
