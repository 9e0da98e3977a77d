using System.Diagnostics;

namespace Stm.Internal;

/// <summary>
/// A transaction held by a <see cref="Checkout"/> rather than by a thread: its snapshot is taken when
/// the checkout is made and stays published until it completes; its blocks run one at a time, on
/// whatever thread calls them, with the transaction made current on that thread for the block only.
/// </summary>
/// <remarks>
/// Owns no fields (the transactions for checkouts are kept by <see cref="CheckoutLease"/>), and sets
/// <see cref="_inUse"/> and <see cref="_attemptActive"/> for the transactions it holds. Invariants: a
/// checkout's transaction is always in use (no thread ever rents it as its own), its one attempt stays
/// open from <see cref="BeginCheckout"/> to <see cref="EndCheckout"/>, and it is current on a thread
/// only while a block or the commit runs; an idle one has empty logs and no signal pending.
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>A transaction for checkouts: temporary (its snapshot slot belongs to no thread).</summary>
    /// <returns>The transaction, idle.</returns>
    internal static Transaction CreateForCheckout() =>
        // Always in use, so that no thread ever rents it as its own transaction object.
        new(temporary: true) { _inUse = true };

    /// <summary>Starts the transaction of a new checkout: publishes its snapshot; not current on any thread.</summary>
    internal void BeginCheckout()
    {
        Debug.Assert(_inUse && !_attemptActive && _reads.Count == 0, "an idle checkout transaction is empty");
        Begin();

        // Not current on any thread: each block makes it current while it runs (see MakeCurrent).
        _attemptActive = false;
    }

    /// <summary>
    /// Runs one block of a checkout on the calling thread, as a nested scope of the checkout's
    /// transaction: a user exception rolls back the block's writes only. A conflict, or a retry that
    /// <paramref name="retryAllowed"/> lets through, propagates as the engine's signal and leaves the
    /// transaction unable to commit. A retry that is not allowed rolls the block back and throws
    /// <see cref="InvalidOperationException"/>, leaving the checkout usable.
    /// </summary>
    internal TResult RunCheckoutBlock<TBody, TResult>(ref TBody body, bool retryAllowed)
        where TBody : struct, IBody<TResult>
    {
        Debug.Assert(_inUse && !_attemptActive, "a checkout's transaction runs one block at a time");
        Transaction? threadTransaction = MakeCurrent();
        try
        {
            ThrowIfSignalPending();
            int depth = EnterScope();
            TResult result;
            try
            {
                result = body.Invoke();
                ThrowIfSignalPending();
            }
            catch (Exception) when (!HasPendingSignal)
            {
                RollBackScope(depth, swallowHandlerFailures: true);
                throw;
            }
            catch (Exception) when (_pendingSignal == PendingSignal.Retry && !retryAllowed)
            {
                ClearRetry();
                RollBackScope(depth, swallowHandlerFailures: true);
                throw ThrowHelper.RetryInManualCheckout();
            }

            CommitScope(depth);
            return result;
        }
        finally
        {
            RestoreCurrent(threadTransaction);
        }
    }

    /// <summary>True if a block of this checkout conflicted (it can never commit).</summary>
    internal bool CheckoutConflicted => _pendingSignal == PendingSignal.Conflict;

    /// <summary>True if a block of this checkout retried (it can never commit; its reads say what to wait for).</summary>
    internal bool CheckoutRetried => _pendingSignal == PendingSignal.Retry;

    /// <summary>The name of the TVar behind the latest conflict, if known.</summary>
    internal string? ConflictVarName => _conflictVar is { } var ? TVarState.Of(var).Name : null;

    /// <summary>
    /// Tries to commit the checkout's transaction: a read-only one always commits; an update one
    /// validates every read and publishes all its writes at once, or publishes nothing. Exceptions
    /// from commute functions propagate with nothing published.
    /// </summary>
    internal bool TryCommitCheckout()
    {
        Debug.Assert(_inUse && !_attemptActive, "no block runs while a checkout commits");
        if (HasPendingSignal)
        {
            return false;
        }

        // Current while committing, so that a commute function that touches a TVar is refused as in
        // any other commit instead of running as a separate transaction.
        Transaction? threadTransaction = MakeCurrent();
        try
        {
            return TryCommit();
        }
        finally
        {
            RestoreCurrent(threadTransaction);
        }
    }

    /// <summary>
    /// Registers a waiter on every TVar the checkout read, for a retry of the whole body; null (nothing
    /// registered) if one of them has changed already. The caller throws if nothing was read.
    /// </summary>
    internal RetryWaiter? PrepareCheckoutWait(ref RunProgress progress)
    {
        Debug.Assert(_reads.Count != 0, "a checkout that read nothing has nothing to wait for");
        return PrepareWait(ref progress, isAsync: true);
    }

    internal int CheckoutReadCount => _reads.Count;

    /// <summary>
    /// Ends the checkout's transaction: forgets its logs, withdraws its snapshot, and
    /// runs its AfterCommit (<paramref name="committed"/>) or AfterRollback handlers outside it.
    /// </summary>
    internal void EndCheckout(bool committed)
    {
        EndAttempt();
        if (committed)
        {
            StmMetrics.RecordCommit(ref _counters, attempts: 1);
        }
        else if (_conflictVar is not null)
        {
            StmMetrics.RecordConflict(ref _counters, _conflictVar);
        }

        try
        {
            if (_handlers.Count != 0)
            {
                List<Exception>? failures = null;
                if (committed)
                {
                    _handlers.Commit(ref failures);
                }
                else
                {
                    _handlers.RollBack(0, ref failures);
                }

                HandlerList.ThrowIfAny(failures, committed);
            }
        }
        finally
        {
            // Idle again: no signal pending, no conflicting TVar kept alive, no contention ticket.
            ClearSignals();
            AdoptPriorityTicket(0);
        }
    }

    /// <summary>Gives the snapshot slot of an idle checkout transaction back. For a lease that is dropped.</summary>
    internal void ReleaseCheckoutSlot() => SnapshotRegistry.Return(_slot);

    /// <summary>Gives the snapshot slot of an idle checkout transaction back from its lease's finalizer, taking no lock.</summary>
    internal void ReleaseCheckoutSlotFromFinalizer() => SnapshotRegistry.ReturnFromFinalizer(_slot);

    /// <summary>
    /// Withdraws the snapshot of a checkout that was lost without being completed and gives its slot
    /// back; runs no handlers. The versions only that snapshot pinned are then reclaimed at once, as
    /// when a checkout is disposed, rather than when each TVar is next written.
    /// </summary>
    internal void AbandonLostCheckout()
    {
        SnapshotRegistry.ReturnFromFinalizer(_slot);
        VersionReclaimer.SnapshotClosed(_readVersion);
    }
}
