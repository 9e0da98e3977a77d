using System.Diagnostics;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.ObjectPool;

namespace Stm.Internal;

/// <summary>
/// A run parked in <see cref="Atomic.Retry"/>: registered on every TVar its attempt read, woken by
/// the first commit that writes one of them. Waits either synchronously (an event) or
/// asynchronously (as an <see cref="IValueTaskSource{TResult}"/>, holding no thread). Pooled: a
/// waiter is reset and reused once it has woken and unregistered, unless its cancellation callback
/// may still run (see <see cref="ReleaseKeepingTurn"/>).
/// </summary>
internal sealed class RetryWaiter : IValueTaskSource<bool>
{
    private const int Waiting = 0;
    private const int Signalled = 1;
    private const int Cancelled = 2;
    private const int TimedOut = 3;

    /// <summary>How many times a synchronous waiter re-checks its state before it blocks (a hand-off often lands within microseconds).</summary>
    private const int SpinsBeforeBlocking = 20;

    /// <summary>Registration lists longer than this are de-duplicated with a set rather than a scan.</summary>
    private const int LinearDedupLimit = 32;

    private static readonly ObjectPool<RetryWaiter> s_pool =
        new DefaultObjectPool<RetryWaiter>(new PoolPolicy(), maximumRetained: 1024);

    private static long s_lastTicket;

    /// <summary>The async completion; continuations run on the thread pool, never inside a committer's lock.</summary>
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    /// <summary>
    /// The monitor a synchronous waiter parks on. A plain monitor rather than an event: it needs no
    /// disposal, and systematic-testing tools (Coyote) control Monitor.Wait/PulseAll, so the
    /// wake-up paths can be explored.
    /// </summary>
    private readonly object _gate = new();

    /// <summary><see cref="Waiting"/>, then exactly one move to <see cref="Signalled"/>, <see cref="Cancelled"/> or <see cref="TimedOut"/>.</summary>
    private int _state;

    /// <summary>
    /// The place in line the signalling commit gave this waiter (see <see cref="TurnLine"/>): claimed
    /// by the first committer to signal it, before the state moves to <see cref="Signalled"/>, so the
    /// woken run always finds it.
    /// </summary>
    private WakeTurn? _turn;

    private bool _async;
    private CancellationToken _cancellationToken;

    /// <summary>
    /// The wait's cancellation callback, registered by <see cref="WaitSync"/> or
    /// <see cref="WaitAsync"/> when the token can be cancelled; removed by <see cref="ReleaseKeepingTurn"/>.
    /// </summary>
    private CancellationTokenRegistration _cancellationRegistration;

    private WaitRegistration[] _registrations = new WaitRegistration[4];
    private int _registrationCount;
    private HashSet<WaitList>? _registeredLists;

    /// <summary>Orders waiters: taken when a run first parks, kept when it parks again.</summary>
    internal long Ticket { get; private set; }

    /// <summary>The <see cref="Environment.TickCount"/> when the run first parked (diagnostics).</summary>
    internal int FirstParkedAt { get; private set; }

    /// <summary>How many times the run was woken before this park without committing (diagnostics).</summary>
    internal int Wakeups { get; private set; }

    /// <summary>The managed thread id of a synchronous waiter while it waits; 0 for an asynchronous one.</summary>
    internal int ThreadId { get; private set; }

    internal bool IsAsync => _async;

    /// <summary>The stripe of <see cref="WaiterRegistry"/> this waiter is listed in while it waits, else null; with the links below, guarded by the stripe's lock.</summary>
    internal WaiterStripe? Stripe;

    internal RetryWaiter? StripePrevious;
    internal RetryWaiter? StripeNext;

    /// <summary>Set once the long-wait scan has reported this park (guarded by the stripe's lock).</summary>
    internal bool LongWaitReported;

    /// <summary>How many distinct TVars the waiter is registered on; stable while it is listed in a stripe.</summary>
    internal int RegisteredCount => _registrationCount;

    /// <summary>A fresh ticket, later than every ticket handed out before.</summary>
    internal static long NextTicket() => Interlocked.Increment(ref s_lastTicket);

    internal static RetryWaiter Rent(in RunProgress progress, bool isAsync)
    {
        RetryWaiter waiter = s_pool.Get();
        waiter.Ticket = progress.Ticket;
        waiter.FirstParkedAt = progress.FirstParkedAt;
        waiter.Wakeups = progress.Wakeups;
        waiter._async = isAsync;
        return waiter;
    }

    /// <summary>The <paramref name="index"/>th TVar the waiter is registered on; valid while it is listed in a stripe.</summary>
    internal ITVar RegisteredVar(int index) => _registrations[index].Var!;

    /// <summary>Links this waiter into <paramref name="var"/>'s wait list, once per TVar.</summary>
    internal void Register(ITVar var)
    {
        WaitList list = TVarState.Of(var).GetOrCreateWaitList();
        if (_registrationCount < LinearDedupLimit)
        {
            for (int i = 0; i < _registrationCount; i++)
            {
                if (_registrations[i].List == list)
                {
                    return;
                }
            }
        }
        else
        {
            if (_registeredLists is null)
            {
                _registeredLists = [];
                for (int i = 0; i < _registrationCount; i++)
                {
                    _registeredLists.Add(_registrations[i].List!);
                }
            }

            if (!_registeredLists.Add(list))
            {
                return;
            }
        }

        if (_registrationCount == _registrations.Length)
        {
            Array.Resize(ref _registrations, _registrations.Length * 2);
        }

        WaitRegistration registration = _registrations[_registrationCount] ??= new WaitRegistration(this);
        registration.Var = var;
        _registrationCount++;
        list.Add(registration);
    }

    /// <summary>
    /// Wakes the waiter, putting its run in <paramref name="line"/> to take its turn; called by
    /// committers under the wait list's lock. Only the first call counts.
    /// </summary>
    internal void Signal(TurnLine line)
    {
        if (Volatile.Read(ref _state) != Waiting)
        {
            return;
        }

        var turn = new WakeTurn(Ticket);
        turn.JoinLine(line);
        turn.MarkWoken();

        // Claim the waiter among committers signalling it at once (from other wait lists), then
        // against its cancellation or timeout; a loser takes its turn out of line again.
        if (Interlocked.CompareExchange(ref _turn, turn, null) is not null
            || Interlocked.CompareExchange(ref _state, Signalled, Waiting) != Waiting)
        {
            turn.LeaveAll(committed: false);
            return;
        }

        if (_async)
        {
            _core.SetResult(true);
        }
        else
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// Blocks until signalled (true), or until <paramref name="millisecondsTimeout"/> elapses first
    /// (false). Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires first.
    /// </summary>
    internal bool WaitSync(int millisecondsTimeout, CancellationToken cancellationToken)
    {
        ThreadId = Environment.CurrentManagedThreadId;
        WaiterRegistry.Add(this);
        SpinWait spin = default;
        for (int i = 0; i < SpinsBeforeBlocking && Volatile.Read(ref _state) == Waiting; i++)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (cancellationToken.CanBeCanceled && Volatile.Read(ref _state) == Waiting)
        {
            // Unregistered when the waiter is released (ReleaseKeepingTurn), never waited for.
            _cancellationRegistration = cancellationToken.UnsafeRegister(static state => ((RetryWaiter)state!).CancelSync(), this);
        }

        long deadline = millisecondsTimeout == Timeout.Infinite
            ? long.MaxValue
            : Environment.TickCount64 + millisecondsTimeout;
        lock (_gate)
        {
            while (Volatile.Read(ref _state) == Waiting)
            {
                if (deadline == long.MaxValue)
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    // A timeout races with a signal: whoever moves the state first decides.
                    Interlocked.CompareExchange(ref _state, TimedOut, Waiting);
                    break;
                }

                Monitor.Wait(_gate, (int)remaining);
            }
        }

        int state = Volatile.Read(ref _state);
        if (state == Cancelled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return state == Signalled;
    }

    private void CancelSync()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Waits asynchronously: completes with true when signalled, or faults with cancellation.</summary>
    internal ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        WaiterRegistry.Add(this);
        if (cancellationToken.CanBeCanceled)
        {
            _cancellationToken = cancellationToken;
            _cancellationRegistration = cancellationToken.UnsafeRegister(
                static state => ((RetryWaiter)state!).Cancel(), this);
        }

        return new ValueTask<bool>(this, _core.Version);
    }

    private void Cancel()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
        {
            _core.SetException(new OperationCanceledException(_cancellationToken));
        }
    }

    /// <summary>
    /// Unlinks every registration and returns the waiter to the pool; if a commit signalled it, its
    /// run leaves the line at once, for a caller that does not take its turn.
    /// </summary>
    internal void Release()
    {
        ReleaseKeepingTurn()?.LeaveAll(committed: false);
    }

    /// <summary>
    /// Unlinks every registration and the cancellation callback, and returns the waiter to the pool
    /// unless that callback may still run. Returns the run's place in line if a commit signalled it
    /// (the caller takes the turn and then leaves the line), else null.
    /// </summary>
    internal WakeTurn? ReleaseKeepingTurn()
    {
        // Unlisted first: a snapshot reads the registrations only while the waiter is listed.
        if (Stripe is not null)
        {
            WaiterRegistry.Remove(this);
        }

        for (int i = 0; i < _registrationCount; i++)
        {
            WaitRegistration registration = _registrations[i];
            registration.List?.Remove(registration);
            registration.Var = null;
        }

        _registrationCount = 0;
        _registeredLists?.Clear();

        // Only now is the outcome final: committers signal under a wait list's lock, and every
        // registration has been unlinked under its list's lock, so no signal is still under way.
        WakeTurn? turn = Volatile.Read(ref _state) == Signalled ? _turn : null;
        Debug.Assert(turn is not null || Volatile.Read(ref _state) != Signalled, "a signalled waiter has a place in line");

        // A cancellation callback that has started, or been taken off the token's list to run, may
        // still touch this waiter. That is harmless to this run, whose wait is over, but on a
        // reused waiter the callback's CAS would cancel the next user's wait: such a waiter is left
        // to the collector instead of the pool. Unregistering never waits for a running callback
        // (Dispose would): a woken or cancelled run never blocks on the cancelling thread, and none
        // blocks in code a systematic tester cannot schedule.
        bool callbackMayRun = _cancellationRegistration.Token.CanBeCanceled && !_cancellationRegistration.Unregister();
        _cancellationRegistration = default;
        _cancellationToken = default;
        if (!callbackMayRun)
        {
            s_pool.Return(this);
        }

        return turn;
    }

    private void Reset()
    {
        _state = Waiting;
        if (_async)
        {
            _core.Reset();
        }

        Ticket = 0;
        ThreadId = 0;
        _turn = null;
        LongWaitReported = false;
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private sealed class PoolPolicy : PooledObjectPolicy<RetryWaiter>
    {
        public override RetryWaiter Create() => new();

        public override bool Return(RetryWaiter waiter)
        {
            waiter.Reset();
            return true;
        }
    }
}
