namespace Stm.Internal;

/// <summary>
/// Nested scopes (a nested <see cref="Atomic.Run(Action)"/>, an <see cref="Atomic.OrElse(Action, Action)"/>
/// branch) and the handlers registered in them.
/// </summary>
/// <remarks>
/// A write entry records the depth of the scope that owns its pending node. The first change to an
/// outer scope's entry saves an <see cref="UndoRecord"/>; entries a scope creates are simply the ones
/// after its <see cref="ScopeMark.WriteCount"/>. Reads are never undone: the reads of a rolled-back
/// branch still decide when a retrying transaction wakes.
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>Opens a nested scope and returns its depth.</summary>
    internal int EnterScope()
    {
        int depth = _depth + 1;
        if (depth == _scopes.Length)
        {
            Array.Resize(ref _scopes, _scopes.Length * 2);
        }

        ref ScopeMark mark = ref _scopes[depth];
        mark.WriteCount = _writes.Count;
        mark.UndoCount = _undoCount;
        mark.HandlerCount = _handlers.Count;
        _depth = depth;
        return depth;
    }

    /// <summary>Merges scope <paramref name="depth"/> into its parent.</summary>
    internal void CommitScope(int depth)
    {
        int parent = depth - 1;
        ref ScopeMark mark = ref _scopes[depth];
        for (int i = mark.WriteCount; i < _writes.Count; i++)
        {
            _writes[i].Scope = parent;
        }

        // An undo record keeps what an entry held before this scope changed it. If the parent had
        // already changed that entry itself (saved scope == parent), the parent's own record or its
        // creation of the entry covers it: drop it. Otherwise the parent never touched the entry, and
        // the record now says what to restore when the parent rolls back.
        int kept = mark.UndoCount;
        for (int i = mark.UndoCount; i < _undoCount; i++)
        {
            UndoRecord record = _undo[i];
            _writes[record.EntryIndex].Scope = parent;
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
    /// Rolls back scope <paramref name="depth"/> and every scope still open inside it: restores the
    /// pending values the outer scope had, drops the entries and handlers created since, and runs the
    /// dropped AfterRollback handlers (outside the transaction). Handler failures propagate unless
    /// <paramref name="swallowHandlerFailures"/>.
    /// </summary>
    internal void RollBackScope(int depth, bool swallowHandlerFailures)
    {
        ref ScopeMark mark = ref _scopes[depth];
        for (int i = _undoCount - 1; i >= mark.UndoCount; i--)
        {
            UndoRecord record = _undo[i];
            ref WriteEntry entry = ref _writes[record.EntryIndex];
            entry.Node = record.Node;
            entry.Commutes = record.Commutes;
            entry.Scope = record.Scope;
        }

        Array.Clear(_undo, mark.UndoCount, _undoCount - mark.UndoCount);
        _undoCount = mark.UndoCount;
        _writes.TruncateTo(mark.WriteCount);
        _depth = depth - 1;
        int handlerCount = mark.HandlerCount;
        if (handlerCount < _handlers.Count)
        {
            // The handlers run outside the transaction: it is not current while they do.
            _attemptActive = false;
            try
            {
                _handlers.RollBack(handlerCount, swallowHandlerFailures);
            }
            finally
            {
                _attemptActive = true;
            }
        }
    }

    private void SaveUndo(int entryIndex)
    {
        if (_undoCount == _undo.Length)
        {
            Array.Resize(ref _undo, _undo.Length * 2);
        }

        ref WriteEntry entry = ref _writes[entryIndex];
        _undo[_undoCount++] = new UndoRecord
        {
            EntryIndex = entryIndex,
            Node = entry.Node,
            Commutes = entry.Commutes,
            Scope = entry.Scope,
        };
    }

    internal void AddHandler(Action action, bool afterCommit) => _handlers.Add(action, afterCommit);

    /// <summary>Runs a body as a nested scope of this transaction (a nested <see cref="Atomic.Run(Action)"/>).</summary>
    internal TResult RunNested<TBody, TResult>(ref TBody body)
        where TBody : struct, IBody<TResult>
    {
        int depth = EnterScope();
        TResult result;
        try
        {
            result = body.Invoke();
            ThrowIfSignalPending();
        }
        catch (Exception) when (!HasPendingSignal)
        {
            // A user exception: undo only this scope's writes and let the outer body decide.
            RollBackScopeAfterThrow(depth);
            throw;
        }

        CommitScope(depth);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="first"/> as a nested scope; if it retries, rolls it back and runs
    /// <paramref name="second"/> in the enclosing scope (whose retry then retries the enclosing
    /// transaction, waiting on the reads of both).
    /// </summary>
    internal TResult OrElse<TFirst, TSecond, TResult>(ref TFirst first, ref TSecond second)
        where TFirst : struct, IBody<TResult>
        where TSecond : struct, IBody<TResult>
    {
        int depth = EnterScope();
        try
        {
            TResult result = first.Invoke();
            ThrowIfSignalPending();
            CommitScope(depth);
            return result;
        }
        catch (Exception) when (_pendingSignal == PendingSignal.Retry)
        {
            _pendingSignal = PendingSignal.None;
            RollBackScope(depth, swallowHandlerFailures: false);
        }
        catch (Exception) when (!HasPendingSignal)
        {
            RollBackScopeAfterThrow(depth);
            throw;
        }

        return second.Invoke();
    }

    /// <summary>Rolls back a nested scope whose body threw a user exception (the exception then propagates).</summary>
    private void RollBackScopeAfterThrow(int depth)
    {
        if (TestHooks.Enabled && TestHooks.NestedThrowKeepsWrites)
        {
            // Planted nested-rollback bug: keep the scope's writes as if it had returned.
            CommitScope(depth);
            return;
        }

        RollBackScope(depth, swallowHandlerFailures: true);
    }
}
