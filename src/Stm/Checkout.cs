using System.Diagnostics;
using Stm.Internal;

namespace Stm;

/// <summary>
/// A transaction held in the user's hand rather than bound to a thread: check out, update, commit.
/// Every <see cref="Run(Action)"/> block runs inside it, on the calling thread, and may be followed
/// by awaits; the next block may run on another thread. All blocks read one consistent snapshot,
/// taken when the checkout was made, and buffer their writes until <see cref="Commit"/> validates
/// every read and publishes every write at once, or throws <see cref="ConflictException"/> and
/// writes nothing. Made by <see cref="Atomic.Checkout"/>, or passed to the body of
/// <see cref="Atomic.RunAsync(Func{Checkout, CancellationToken, ValueTask}, CancellationToken)"/>,
/// which commits it and re-runs the body on a conflict.
/// </summary>
/// <remarks>
/// <para>Blocks run one at a time (a second concurrent block throws
/// <see cref="InvalidOperationException"/>). A block that throws has its own writes rolled back,
/// like a nested <see cref="Atomic.Run(Action)"/>; the checkout stays usable.</para>
/// <para>An open checkout keeps the versions its snapshot reads alive (one per TVar it may read),
/// so dispose of it when done: <c>using var checkout = Atomic.Checkout();</c>. A checkout that is
/// lost without being disposed releases its snapshot when it is garbage collected.</para>
/// </remarks>
[DebuggerDisplay("Checkout, {DebuggerState,nq}")]
public sealed class Checkout : IDisposable
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Completed = 2;

    /// <summary>Lends the checkout its transaction, and withdraws the snapshot if the checkout is lost without being completed.</summary>
    private readonly CheckoutLease _lease;

    /// <summary>True for a checkout run by RunAsync: a block may retry, and RunAsync waits and re-runs.</summary>
    private readonly bool _retryAllowed;

    /// <summary><see cref="Idle"/>, <see cref="Busy"/> while a block or the commit runs, then <see cref="Completed"/> for good.</summary>
    private int _state;

    /// <summary>Set once the checkout has committed.</summary>
    private bool _committed;

    /// <summary>Set once a commit of the checkout has failed with a conflict.</summary>
    private bool _commitFailed;

    /// <summary>What the transaction said when the checkout completed: a block had conflicted or retried.</summary>
    private bool _endedDoomed;

    /// <summary>What the transaction said when the checkout completed: a block had retried.</summary>
    private bool _endedRetried;

    /// <summary>The contention ticket of the RunAsync run this checkout is an attempt of, once that run has lost often enough; otherwise 0.</summary>
    private int _priorityTicket;

    /// <summary>The name of the TVar behind the conflict that ended the checkout, if any.</summary>
    private string? _conflictName;

    internal Checkout(bool retryAllowed)
    {
        _lease = CheckoutLease.Rent();
        _retryAllowed = retryAllowed;
    }

    /// <summary>The lease's transaction; once the checkout completes the lease goes back for other checkouts, so nothing reads it after that.</summary>
    private Transaction LentTransaction => _lease.Transaction;

    /// <summary>True once the checkout has committed, failed to commit, or been disposed. May be read anywhere, inside a transaction or not.</summary>
    public bool IsCompleted => Volatile.Read(ref _state) == Completed;

    /// <summary>True if a block conflicted or retried: the checkout can no longer commit.</summary>
    internal bool IsDoomed => IsCompleted ? _endedDoomed : LentTransaction.CheckoutConflicted || LentTransaction.CheckoutRetried;

    internal bool Retried => IsCompleted ? _endedRetried : LentTransaction.CheckoutRetried;

    internal bool Committed => _committed;

    internal bool CommitFailed => _commitFailed;

    private string DebuggerState => IsCompleted ? (_committed ? "committed" : "completed") : (IsDoomed ? "conflicted" : "open");

    /// <summary>
    /// Runs <paramref name="block"/> inside this checkout on the calling thread: every TVar member,
    /// nested <see cref="Atomic.Run(Action)"/>, <see cref="Atomic.OrElse(Action, Action)"/> and
    /// collection operation in it reads the checkout's snapshot and buffers its writes in the checkout.
    /// </summary>
    /// <param name="block">The work; synchronous (await between blocks, not inside one).</param>
    /// <exception cref="ArgumentNullException"><paramref name="block"/> is null.</exception>
    /// <exception cref="ConflictException">The block needed a state the checkout's snapshot cannot show
    /// (a TVar it read has changed): the checkout can no longer commit.</exception>
    /// <exception cref="InvalidOperationException">The checkout is completed, another of its blocks is
    /// running, the calling thread is inside a transaction, or the block called <see cref="Atomic.Retry"/>
    /// in a checkout that <c>Atomic.RunAsync</c> does not run.</exception>
    public void Run(Action block)
    {
        ArgumentNullException.ThrowIfNull(block);
        AsyncActionCheck.ThrowIfAsync(block);
        var body = new ActionBody(block);
        RunBlock<ActionBody, byte>(ref body);
    }

    /// <summary>Runs <paramref name="block"/> inside this checkout and returns its result; see <see cref="Run(Action)"/>. Only outside any transaction.</summary>
    /// <typeparam name="T">The result type; must not be a task.</typeparam>
    /// <param name="block">The work; synchronous.</param>
    /// <returns>What the block returned.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is a Task or ValueTask (an async lambda).</exception>
    public T Run<T>(Func<T> block)
    {
        ArgumentNullException.ThrowIfNull(block);
        AsyncBodyCheck<T>.ThrowIfAsync();
        var body = new FuncBody<T>(block);
        return RunBlock<FuncBody<T>, T>(ref body);
    }

    /// <summary>Reads <paramref name="tvar"/> in this checkout: <c>Run(() =&gt; tvar.Value)</c>. Only outside any transaction.</summary>
    /// <typeparam name="T">The TVar's value type.</typeparam>
    /// <param name="tvar">The TVar to read.</param>
    /// <returns>The value in the checkout's snapshot, or the value it wrote.</returns>
    public T Read<T>(TVar<T> tvar)
    {
        ArgumentNullException.ThrowIfNull(tvar);
        var body = new TVarReadBody<T>(tvar);
        return RunBlock<TVarReadBody<T>, T>(ref body);
    }

    /// <summary>Writes <paramref name="value"/> to <paramref name="tvar"/> in this checkout: <c>Run(() =&gt; tvar.Value = value)</c>. Only outside any transaction.</summary>
    /// <typeparam name="T">The TVar's value type.</typeparam>
    /// <param name="tvar">The TVar to write.</param>
    /// <param name="value">The value, published when the checkout commits.</param>
    public void Write<T>(TVar<T> tvar, T value)
    {
        ArgumentNullException.ThrowIfNull(tvar);
        var body = new TVarWriteBody<T>(tvar, value);
        RunBlock<TVarWriteBody<T>, byte>(ref body);
    }

    /// <summary>
    /// Validates every read of the checkout and publishes all its writes atomically; then runs the
    /// AfterCommit handlers its blocks registered. A read-only checkout always commits. Afterwards the
    /// checkout is completed, whatever the outcome. Call it outside any transaction, from any thread.
    /// </summary>
    /// <exception cref="ConflictException">A TVar the checkout read has changed (or a block conflicted):
    /// nothing was written, and the AfterRollback handlers ran.</exception>
    /// <exception cref="InvalidOperationException">The checkout is completed, one of its blocks is running, or the calling thread is inside a transaction.</exception>
    public void Commit()
    {
        if (!TryCommit())
        {
            throw new ConflictException(_conflictName, atCommit: true);
        }
    }

    /// <summary>As <see cref="Commit"/>, but returns false instead of throwing <see cref="ConflictException"/>. Outside any transaction, from any thread.</summary>
    /// <returns>True if the checkout committed; false if it conflicted (nothing written).</returns>
    /// <exception cref="InvalidOperationException">The checkout is completed, one of its blocks is running, or the calling thread is inside a transaction.</exception>
    public bool TryCommit()
    {
        ThrowHelper.ThrowIfCheckoutInsideTransaction("Checkout.Commit");

        Enter();
        bool committed = false;
        try
        {
            committed = LentTransaction.TryCommitCheckout();
            _commitFailed = !committed;
        }
        finally
        {
            // Completed whatever happened, a commute function's exception included.
            Finish(committed);
        }

        return committed;
    }

    /// <summary>
    /// Abandons the checkout if it is not completed: its writes are discarded, its snapshot released,
    /// and the AfterRollback handlers its blocks registered run. Idempotent. Outside any transaction, from any thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">One of its blocks (or its commit) is running right now.</exception>
    public void Dispose()
    {
        int state = Interlocked.CompareExchange(ref _state, Busy, Idle);
        if (state == Completed)
        {
            return;
        }

        if (state == Busy)
        {
            ThrowHelper.ThrowCheckoutBusy();
        }

        Finish(committed: false);
    }

    /// <summary>For RunAsync: registers a waiter on every TVar read, once a block retried; null if one already changed.</summary>
    internal RetryWaiter? PrepareWait(ref RunProgress progress)
    {
        Debug.Assert(Retried && _state == Idle, "only a retried, idle checkout waits");
        if (LentTransaction.CheckoutReadCount == 0)
        {
            Dispose();
            ThrowHelper.ThrowRetryWithoutReads();
        }

        return LentTransaction.PrepareCheckoutWait(ref progress);
    }

    private TResult RunBlock<TBody, TResult>(ref TBody body)
        where TBody : struct, IBody<TResult>
    {
        ThrowHelper.ThrowIfCheckoutInsideTransaction("Checkout.Run");

        Enter();
        try
        {
            return LentTransaction.RunCheckoutBlock<TBody, TResult>(ref body, _retryAllowed);
        }
        catch (ConflictSignal)
        {
            throw new ConflictException(LentTransaction.ConflictVarName, atCommit: false);
        }
        finally
        {
            Volatile.Write(ref _state, Idle);
        }
    }

    /// <summary>Moves the checkout from idle to busy (a full fence: what the previous block did on another thread is visible).</summary>
    /// <summary>
    /// Makes this checkout an attempt of a RunAsync run that has lost often enough to hold priority:
    /// its own commit never waits for the ticket's marks, and if it ends without committing it marks
    /// what it read and wrote, so that the run's next attempt holds those TVars.
    /// </summary>
    /// <param name="ticket">The run's contention ticket.</param>
    internal void UsePriorityTicket(int ticket)
    {
        Debug.Assert(ticket != 0 && _state == Idle, "a ticket is given to a fresh checkout");
        _priorityTicket = ticket;
        LentTransaction.AdoptPriorityTicket(ticket);
    }

    private void Enter()
    {
        int state = Interlocked.CompareExchange(ref _state, Busy, Idle);
        if (state == Completed)
        {
            ThrowHelper.ThrowCheckoutCompleted();
        }

        if (state == Busy)
        {
            ThrowHelper.ThrowCheckoutBusy();
        }
    }

    private void Finish(bool committed)
    {
        _committed = committed;
        _endedRetried = LentTransaction.CheckoutRetried;
        _endedDoomed = _endedRetried || LentTransaction.CheckoutConflicted;
        _conflictName = committed ? null : LentTransaction.ConflictVarName;
        Volatile.Write(ref _state, Completed);
        if (_priorityTicket != 0)
        {
            if (!committed)
            {
                LentTransaction.MarkFootprint(_priorityTicket);
            }

            // Given up before the handlers run, so that a handler writing a marked TVar never waits
            // for its own run; a no-op unless this attempt holds priority.
            ContentionManager.Release(_priorityTicket);
        }

        try
        {
            LentTransaction.EndCheckout(committed);
        }
        finally
        {
            // Even when a handler threw: the transaction has ended either way.
            _lease.Return();
        }
    }
}
