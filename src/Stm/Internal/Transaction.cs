using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The log and state of the transaction running on a thread: snapshot, read set, write set,
/// nesting scopes and handlers. One instance per thread is cached and reused, so a transaction
/// allocates nothing but the version nodes it commits.
/// </summary>
/// <remarks>
/// Split by concern: <c>Transaction.Access.cs</c> (reads and writes), <c>Transaction.Commit.cs</c>
/// (locking, validation, publication), <c>Transaction.Nesting.cs</c> (scopes and handlers),
/// <c>Transaction.Run.cs</c> (the attempt loop, waiting and contention management).
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>The commit stamp of a committer between taking its locks and knowing its stamp.</summary>
    internal const long StampAcquiring = -1;

    /// <summary>
    /// This thread's transaction object: the reusable one, or while a handler of it runs a
    /// transaction of its own, a temporary one stacked on top (see <see cref="Rent"/>). It is the
    /// thread's current transaction while an attempt is active: one thread-static serves both
    /// purposes, because every thread-static access costs a TLS lookup on the hot path.
    /// </summary>
    [ThreadStatic]
    private static Transaction? t_cached;

    private readonly ReadSet _reads = new();
    private readonly WriteSet _writes = new();
    private readonly HandlerList _handlers = new();
    private UndoRecord[] _undo = new UndoRecord[4];
    private int _undoCount;
    private ScopeMark[] _scopes = new ScopeMark[4];

    /// <summary>The published snapshot that keeps the versions this transaction may read alive.</summary>
    private readonly SnapshotSlot _slot;

    /// <summary>What the lock word of a TVar this transaction has locked holds (see <see cref="SnapshotSlot.LockId"/>).</summary>
    private readonly int _lockId;

    /// <summary>True for a transaction made because the thread's cached one was busy (a run inside a handler).</summary>
    private readonly bool _temporary;

    private readonly ConflictSignal _conflictSignal = new();
    private readonly RetrySignal _retrySignal = new();

    /// <summary>The snapshot this attempt reads: the newest version with a stamp at or below it.</summary>
    private long _readVersion;

    /// <summary>0, then <see cref="StampAcquiring"/>, then the write stamp while committing; read by other threads.</summary>
    private long _commitStamp;

    /// <summary>Nesting depth of the scope running now: 0 for the top level.</summary>
    private int _depth;

    private PendingSignal _pendingSignal;

    /// <summary>Some read returned a version older than the newest: the attempt can commit only if it stays read-only.</summary>
    private bool _readStale;

    /// <summary>Between taking locks and unlocking: TVar access from a commute function is refused.</summary>
    private bool _committing;

    private bool _inUse;

    /// <summary>Between <see cref="Begin"/> and <see cref="EndAttempt"/>: this is the thread's current transaction.</summary>
    private bool _attemptActive;

    /// <summary>For a temporary transaction: the thread's transaction object it is stacked on.</summary>
    private Transaction? _underneath;

    /// <summary>What this object's transactions did; read through <see cref="TransactionStatistics"/>.</summary>
    private TransactionCounters _counters;

    /// <summary>An all-zero set of counts for threads that never ran a transaction.</summary>
    private static readonly TransactionCounters s_noCounters;

    /// <summary>This thread's knowledge of the oldest running snapshot, for cutting version chains at commit.</summary>
    private TrimBound _trimBound;

    /// <summary>The contention ticket of the run using this object (0 if it never lost): its own marks never hold it back.</summary>
    private int _priorityTicket;

    /// <summary>The TVar behind the latest conflict, for the conflict metric.</summary>
    private ITVar? _conflictVar;

    private Transaction(bool temporary)
    {
        _temporary = temporary;
        _slot = SnapshotRegistry.Rent(temporary ? null : Thread.CurrentThread, this);
        _lockId = _slot.LockId;
    }

    /// <summary>The transaction running on this thread, or null.</summary>
    internal static Transaction? Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            Transaction? transaction = t_cached;
            return transaction is not null && transaction._attemptActive ? transaction : null;
        }
    }

    /// <summary>
    /// The transaction running on this thread, or null; and either way the thread's transaction
    /// object (or null), which a caller that goes on to start a run passes to it, saving a second
    /// thread-static lookup.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Transaction? GetCurrent(out Transaction? threadTransaction)
    {
        Transaction? transaction = t_cached;
        threadTransaction = transaction;
        return transaction is not null && transaction._attemptActive ? transaction : null;
    }

    /// <summary>The counts of the calling thread's cached transaction (zero if it never ran one).</summary>
    internal static ref readonly TransactionCounters ThreadCounters
    {
        get
        {
            Transaction? cached = t_cached;
            if (cached is null)
            {
                return ref s_noCounters;
            }

            return ref cached._counters;
        }
    }

    /// <summary>What the lock word of a TVar holds while this transaction has it locked.</summary>
    internal int LockId => _lockId;

    /// <summary>True if this transaction is committing with a stamp at or below <paramref name="bound"/>, or is about to know its stamp.</summary>
    internal bool HasStampAtOrBelow(long bound)
    {
        long stamp = Volatile.Read(ref _commitStamp);
        if (stamp == StampAcquiring)
        {
            SpinWait spin = default;
            while ((stamp = Volatile.Read(ref _commitStamp)) == StampAcquiring)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        return stamp > 0 && stamp <= bound;
    }

    /// <summary>
    /// Takes this thread's transaction object. If it is busy (a handler it runs starts a transaction
    /// of its own), a temporary one is stacked on top of it until <see cref="Return"/>.
    /// <paramref name="threadTransaction"/> is the thread-static's value if the caller just read it
    /// on this thread (nothing changes it in between), or null to look it up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Transaction Rent(Transaction? threadTransaction)
    {
        if (threadTransaction is { _inUse: false })
        {
            // The common case: the thread's own transaction object, idle.
            threadTransaction._inUse = true;
            return threadTransaction;
        }

        return RentSlow(threadTransaction);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Transaction RentSlow(Transaction? threadTransaction)
    {
        Transaction? transaction = threadTransaction ?? t_cached;
        if (transaction is null)
        {
            transaction = new Transaction(temporary: false);
            t_cached = transaction;
        }
        else if (transaction._inUse)
        {
            transaction = new Transaction(temporary: true) { _underneath = transaction };
            t_cached = transaction;
        }

        transaction._inUse = true;
        return transaction;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Return()
    {
        _inUse = false;

        // Do not keep the last conflicting TVar (and what it references) alive while the thread idles.
        _conflictVar = null;
        if (_temporary)
        {
            ReturnTemporary();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReturnTemporary()
    {
        SnapshotRegistry.Return(_slot);
        _underneath!._counters.Add(_counters);
        t_cached = _underneath;
    }

    /// <summary>Starts an attempt: publishes the snapshot and makes this the thread's current transaction.</summary>
    private void Begin()
    {
        _readVersion = _slot.Enter();
        _depth = 0;
        _pendingSignal = PendingSignal.None;
        _readStale = false;
        _conflictVar = null;
        _counters.Attempts++;
        _attemptActive = true;
    }

    /// <summary>Ends an attempt's body: no longer current, snapshot released, logs cleared (handlers kept).</summary>
    private void EndAttempt()
    {
        _attemptActive = false;
        _slot.Exit();
        VersionReclaimer.SnapshotClosed(_readVersion);
        _reads.Clear();
        _writes.Clear();
        if (_undoCount != 0)
        {
            Array.Clear(_undo, 0, _undoCount);
            _undoCount = 0;
        }

        _depth = 0;
    }

    private ConflictSignal Conflict(ITVar? var)
    {
        _conflictVar = var;
        _pendingSignal = PendingSignal.Conflict;
        return _conflictSignal;
    }

    /// <summary>Rethrows a signal that user code caught and swallowed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowPendingSignal()
    {
        if (_pendingSignal == PendingSignal.Conflict)
        {
            throw _conflictSignal;
        }

        throw _retrySignal;
    }

    internal void ThrowIfSignalPending()
    {
        if (_pendingSignal != PendingSignal.None)
        {
            ThrowPendingSignal();
        }
    }

    internal bool HasPendingSignal => _pendingSignal != PendingSignal.None;

    /// <summary>
    /// Makes the attempt retry without throwing (<see cref="Transactional.RequestRetry"/>): the body returns,
    /// and the run loop (or the enclosing nested scope, which throws the signal then) sees it pending.
    /// Any TVar access before the body returns throws the signal as <see cref="Atomic.Retry"/> would.
    /// </summary>
    internal void RequestRetry() => _ = SignalRetry();

    /// <summary>Throws the retry signal (<see cref="Atomic.Retry"/>).</summary>
    internal Exception SignalRetry()
    {
        if (_pendingSignal == PendingSignal.Conflict)
        {
            return _conflictSignal;
        }

        _pendingSignal = PendingSignal.Retry;
        return _retrySignal;
    }
}
