using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// The transaction running on a thread (or held by a checkout): its snapshot, its logs, and the
/// protocol that commits them. One instance per thread is cached and reused, so a transaction
/// allocates nothing but the version nodes it commits.
/// </summary>
/// <remarks>
/// <para>The logs are types of their own, each with its invariants: <see cref="ReadSet"/> (what the
/// attempt read), <see cref="WriteSet"/> (what it wrote, with the undo records and marks of its
/// nested scopes) and <see cref="HandlerList"/>. The rest is split by part into partial files that
/// share this object's fields, because every part runs on the hot path and a separate object per
/// part would cost a field load per access. Each partial declares the fields it owns: only its code
/// assigns them (other parts read them, or ask the owner through a method), and its doc comment
/// states their invariants.</para>
/// <list type="bullet">
/// <item>This file: the object's life (the per-thread cache, renting and returning it, being the
/// thread's current transaction, the start and end of an attempt).</item>
/// <item><c>Transaction.Signals.cs</c>: the conflict and retry signals that end an attempt early.</item>
/// <item><c>Transaction.Snapshot.cs</c>: the snapshot and the reads made in it.</item>
/// <item><c>Transaction.Writes.cs</c>: writes and commutes into the write log.</item>
/// <item><c>Transaction.Nesting.cs</c>: nested scopes (nested Run, OrElse) and their handlers.</item>
/// <item><c>Transaction.Commit.cs</c>: the commit protocol (locking, validation, publication, wake-up).</item>
/// <item><c>Transaction.Contention.cs</c>: priority for runs that keep losing.</item>
/// <item><c>Transaction.Run.cs</c> and <c>Transaction.Wait.cs</c>: the attempt loop of a top-level
/// run, and its waits in Retry.</item>
/// <item><c>Transaction.Checkout.cs</c>: transactions held by a <see cref="Checkout"/> instead of a thread.</item>
/// </list>
/// <para>This file owns <see cref="t_cached"/>, <see cref="_inUse"/>, <see cref="_underneath"/> and
/// <see cref="_attemptActive"/>, which the checkout part also sets for the transactions it holds.
/// Invariants: <see cref="t_cached"/> is null or the thread's transaction object (a temporary one
/// stacked on the thread's own through <see cref="_underneath"/>); an attempt is active only while
/// the object is in use; between attempts the logs are empty and the nesting depth is 0.
/// <see cref="_counters"/> has no invariant: every part adds what it did.</para>
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>
    /// This thread's transaction object: the reusable one, or while a handler of it runs a
    /// transaction of its own, a temporary one stacked on top (see <see cref="Rent"/>). It is the
    /// thread's current transaction while an attempt is active: one thread-static serves both
    /// purposes, because every thread-static access costs a TLS lookup on the hot path.
    /// </summary>
    [ThreadStatic]
    private static Transaction? t_cached;

    /// <summary>An all-zero set of counts for threads that never ran a transaction.</summary>
    private static readonly TransactionCounters s_noCounters;

    /// <summary>What the current attempt read, with the version of each read.</summary>
    private readonly ReadSet _reads = new();

    /// <summary>What the current attempt wrote, and the nested scopes open in it.</summary>
    private readonly WriteSet _writes = new();

    /// <summary>The AfterCommit and AfterRollback handlers registered by the current attempt.</summary>
    private readonly HandlerList _handlers = new();

    /// <summary>True for a transaction made because the thread's cached one was busy (a run inside a handler), or for a checkout's.</summary>
    private readonly bool _temporary;

    /// <summary>True while a run (or a checkout) uses this object.</summary>
    private bool _inUse;

    /// <summary>Between <see cref="Begin"/> and <see cref="EndAttempt"/>: this is the thread's current transaction.</summary>
    private bool _attemptActive;

    /// <summary>For a temporary transaction: the thread's transaction object it is stacked on.</summary>
    private Transaction? _underneath;

    /// <summary>What this object's transactions did; read through <see cref="TransactionStatistics"/>.</summary>
    private TransactionCounters _counters;

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

    /// <summary>The rest of <see cref="Rent"/>: the thread's first transaction, or one stacked on a busy one.</summary>
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

    /// <summary>Gives the object back after a run: idle again, or a temporary one popped off the thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Return()
    {
        Debug.Assert(!_attemptActive && _writes.Count == 0, "a run returns its object with no attempt open");
        _inUse = false;
        ForgetConflict();
        if (_temporary)
        {
            ReturnTemporary();
        }
    }

    /// <summary>Pops a temporary transaction: its slot goes back, its counts go to the object underneath.</summary>
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
        Debug.Assert(_inUse && !_attemptActive, "an attempt starts on an idle object in use");
        Debug.Assert(_reads.Count == 0 && _writes.Count == 0 && _writes.Depth == 0, "an attempt starts with empty logs");
        OpenSnapshot();
        ClearSignals();
        _counters.Attempts++;
        _attemptActive = true;
    }

    /// <summary>Ends an attempt's body: no longer current, snapshot released, logs cleared (handlers kept).</summary>
    /// <remarks>Not inlined: the attempt loop calls it from several places, and inlining it at each would double that loop's code.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EndAttempt()
    {
        AssertHoldsNoLocks();
        _attemptActive = false;
        CloseSnapshot();
        _reads.Clear();
        _writes.Clear();
    }

    /// <summary>Makes this transaction the calling thread's current one (for a checkout's block or commit); returns what it replaced.</summary>
    private Transaction? MakeCurrent()
    {
        Transaction? threadTransaction = t_cached;
        t_cached = this;
        _attemptActive = true;
        return threadTransaction;
    }

    /// <summary>Undoes <see cref="MakeCurrent"/>: the thread's transaction object is <paramref name="threadTransaction"/> again.</summary>
    private void RestoreCurrent(Transaction? threadTransaction)
    {
        _attemptActive = false;
        t_cached = threadTransaction;
    }

    /// <summary>
    /// Runs the AfterRollback handlers registered from <paramref name="from"/> on, outside the
    /// attempt (it is not the thread's current transaction while they run, and is again afterwards),
    /// and drops them with the AfterCommit ones beside them.
    /// </summary>
    private void RollBackHandlersOutsideAttempt(int from, bool swallowFailures)
    {
        _attemptActive = false;
        try
        {
            _handlers.RollBack(from, swallowFailures);
        }
        finally
        {
            _attemptActive = true;
        }
    }
}
