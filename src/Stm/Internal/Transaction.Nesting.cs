using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// Nested scopes (a nested <see cref="Atomic.Run(Action)"/>, an <see cref="Atomic.OrElse(Action, Action)"/>
/// branch, a checkout's block) and the handlers registered in them.
/// </summary>
/// <remarks>
/// Owns no fields: the <see cref="WriteSet"/> keeps the nesting depth, the marks where each open scope
/// began and the undo records of the pending values a scope changed; the <see cref="HandlerList"/>
/// keeps the handlers, which a scope owns from its mark on. A scope that returns merges into its
/// parent; one that throws a user exception is rolled back (its writes and handlers go, its
/// AfterRollback handlers run) and the exception propagates. The engine's signals pass through a
/// scope untouched, except a retry that an <c>OrElse</c> takes over. Reads are never undone: the
/// reads of a rolled-back branch still decide when a retrying transaction wakes.
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>Opens a nested scope and returns its depth.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int EnterScope() => _writes.EnterScope(_handlers.Count);

    /// <summary>Merges scope <paramref name="depth"/>, the innermost open one, into its parent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CommitScope(int depth) => _writes.CommitScope(depth);

    /// <summary>
    /// Rolls back scope <paramref name="depth"/> and every scope still open inside it: restores the
    /// pending values the outer scope had, drops the entries and handlers created since, and runs the
    /// dropped AfterRollback handlers (outside the transaction). Handler failures propagate unless
    /// <paramref name="swallowHandlerFailures"/>.
    /// </summary>
    internal void RollBackScope(int depth, bool swallowHandlerFailures)
    {
        int handlerCount = _writes.RollBackScope(depth);
        if (handlerCount < _handlers.Count)
        {
            RollBackHandlersOutsideAttempt(handlerCount, swallowHandlerFailures);
        }
    }

    /// <summary>Registers an AfterCommit (<paramref name="afterCommit"/>) or AfterRollback handler in the scope running now.</summary>
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
            ClearRetry();
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
