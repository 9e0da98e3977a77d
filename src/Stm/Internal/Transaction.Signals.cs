using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The signals that end an attempt early: a conflict (the snapshot cannot serve a read, so the
/// attempt re-runs) and a retry (<see cref="Atomic.Retry"/>: the run waits for a change).
/// </summary>
/// <remarks>
/// Owns <see cref="_pendingSignal"/>, the two signal instances and <see cref="_conflictVar"/>.
/// Invariants: a signal is thrown only after it is recorded as pending, so a user <c>catch</c> that
/// swallows it changes nothing, and every TVar access of the attempt then throws it again; a pending
/// conflict is never replaced by a retry; a pending signal is cleared only when an attempt begins, when
/// an <c>OrElse</c> (or a checkout that refuses Retry) takes a retry over, and when a checkout ends.
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>Thrown to unwind a conflicted attempt; one per object, so aborting allocates nothing.</summary>
    private readonly ConflictSignal _conflictSignal = new();

    /// <summary>Thrown to unwind an attempt that retries; one per object.</summary>
    private readonly RetrySignal _retrySignal = new();

    /// <summary>The signal the current attempt has raised, if any.</summary>
    private PendingSignal _pendingSignal;

    /// <summary>The TVar behind the latest conflict, for the conflict metric and a checkout's <see cref="ConflictException"/>.</summary>
    private ITVar? _conflictVar;

    /// <summary>True once the attempt has raised a signal: it cannot commit, and any TVar access throws the signal again.</summary>
    internal bool HasPendingSignal => _pendingSignal != PendingSignal.None;

    /// <summary>True if the attempt has retried (and not conflicted).</summary>
    private bool IsRetryPending => _pendingSignal == PendingSignal.Retry;

    /// <summary>
    /// Makes the attempt retry without throwing (<see cref="Transactional.RequestRetry"/>): the body returns,
    /// and the run loop (or the enclosing nested scope, which throws the signal then) sees it pending.
    /// Any TVar access before the body returns throws the signal as <see cref="Atomic.Retry"/> would.
    /// </summary>
    internal void RequestRetry() => _ = SignalRetry();

    /// <summary>Records a retry (unless a conflict is pending) and returns the signal to throw (<see cref="Atomic.Retry"/>).</summary>
    internal Exception SignalRetry()
    {
        if (_pendingSignal == PendingSignal.Conflict)
        {
            return _conflictSignal;
        }

        _pendingSignal = PendingSignal.Retry;
        return _retrySignal;
    }

    /// <summary>Rethrows a signal that user code caught and swallowed, if there is one.</summary>
    internal void ThrowIfSignalPending()
    {
        if (_pendingSignal != PendingSignal.None)
        {
            ThrowPendingSignal();
        }
    }

    /// <summary>Records a conflict on <paramref name="var"/> and returns the signal to throw.</summary>
    private ConflictSignal Conflict(ITVar? var)
    {
        _conflictVar = var;
        _pendingSignal = PendingSignal.Conflict;
        return _conflictSignal;
    }

    /// <summary>Names the TVar behind a commit that failed (no signal: the commit just returns false).</summary>
    private void NoteConflict(ITVar? var) => _conflictVar = var;

    /// <summary>Drops a pending retry that an <c>OrElse</c> or a checkout block has taken over.</summary>
    private void ClearRetry()
    {
        if (_pendingSignal == PendingSignal.Retry)
        {
            _pendingSignal = PendingSignal.None;
        }
    }

    /// <summary>No signal pending and no conflicting TVar known: the state of a new attempt.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ClearSignals()
    {
        _pendingSignal = PendingSignal.None;
        _conflictVar = null;
    }

    /// <summary>Forgets the conflicting TVar, so that it (and what it references) is not kept alive while the object idles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ForgetConflict() => _conflictVar = null;

    /// <summary>Rethrows the pending signal.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowPendingSignal()
    {
        if (_pendingSignal == PendingSignal.Conflict)
        {
            throw _conflictSignal;
        }

        throw _retrySignal;
    }
}
