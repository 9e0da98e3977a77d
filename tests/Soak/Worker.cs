namespace Stm.Soak;

/// <summary>
/// One worker thread's state: its own seeded random generator (so fault points are reproducible from
/// <c>--seed</c>), its attempt bookkeeping and helpers that inject faults.
/// </summary>
internal sealed class Worker
{
    /// <summary>How long a <see cref="WaitMode.Patient"/> transaction waits in Retry before giving up.</summary>
    private static readonly TimeSpan PatientTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>Body runs of the transaction in progress.</summary>
    private int _bodyRuns;

    /// <summary>Retry calls of the transaction in progress (runs that ended in a wait, not a conflict).</summary>
    private int _retryCalls;

    /// <summary>Initializes a new instance of the <see cref="Worker"/> class.</summary>
    /// <param name="index">The worker's index, 0-based.</param>
    /// <param name="context">The run.</param>
    public Worker(int index, SoakContext context)
    {
        Index = index;
        Context = context;
        Random = new Random(unchecked((context.Options.Seed * 7919) + index));
    }

    /// <summary>Gets the worker's index.</summary>
    public int Index { get; }

    /// <summary>Gets the run.</summary>
    public SoakContext Context { get; }

    /// <summary>Gets the worker's random generator; use it only on the worker's thread.</summary>
    public Random Random { get; }

    /// <summary>Gets the most attempts (Retry waits not counted) any transaction of this worker took.</summary>
    public int MaxAttempts { get; private set; }

    /// <summary>Returns <see langword="true"/> with probability <paramref name="probability"/>.</summary>
    /// <param name="probability">The probability.</param>
    /// <returns>The draw.</returns>
    public bool Chance(double probability) => Random.NextDouble() < probability;

    /// <summary>Returns <see langword="true"/> when a fault point should inject its fault.</summary>
    /// <returns>The draw.</returns>
    public bool FaultHere() => Chance(Context.Options.FaultRate);

    /// <summary>Sometimes yields, spins or sleeps briefly: call it inside bodies to stretch them across other commits.</summary>
    public void MaybeDelay()
    {
        if (!FaultHere())
        {
            return;
        }

        Context.CountFault();
        switch (Random.Next(3))
        {
            case 0:
                Thread.Yield();
                break;
            case 1:
                Thread.SpinWait(Random.Next(10, 2_000));
                break;
            default:
                Thread.Sleep(Random.Next(0, 2));
                break;
        }
    }

    /// <summary>Sometimes throws an <see cref="InjectedFaultException"/> from a body.</summary>
    public void MaybeThrowInBody()
    {
        if (FaultHere())
        {
            Context.CountFault();
            throw new InjectedFaultException("injected body fault") { Kind = FaultKind.Body };
        }
    }

    /// <summary>Sometimes registers <c>AfterCommit</c> / <c>AfterRollback</c> handlers that throw. Call inside a body.</summary>
    public void MaybeAddThrowingHandlers()
    {
        SoakContext context = Context;
        if (FaultHere())
        {
            Atomic.AfterCommit(() =>
            {
                context.CountFault();
                throw new InjectedFaultException("injected AfterCommit fault") { Kind = FaultKind.AfterCommit };
            });
        }

        if (FaultHere())
        {
            Atomic.AfterRollback(() =>
            {
                context.CountFault();
                throw new InjectedFaultException("injected AfterRollback fault") { Kind = FaultKind.AfterRollback };
            });
        }
    }

    /// <summary>Like <see cref="Atomic.Check(bool)"/>, but counts the wait so it is not mistaken for a conflict.</summary>
    /// <param name="condition">The condition to wait for.</param>
    public void Check(bool condition)
    {
        if (!condition)
        {
            _retryCalls++;
            Atomic.Retry();
        }
    }

    /// <summary>Picks a wait mode: mostly waits until woken, sometimes a cancellation or timeout mid-wait.</summary>
    /// <returns>The mode.</returns>
    public WaitMode PickWaitMode()
    {
        if (!FaultHere())
        {
            return WaitMode.Patient;
        }

        Context.CountFault();
        return Random.Next(2) == 0 ? WaitMode.CancelSoon : WaitMode.ShortTimeout;
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a transaction and classifies how it ended. Injected faults,
    /// cancellations and timeouts are expected; anything else is reported as a failure.
    /// </summary>
    /// <param name="body">The body; it may run several times.</param>
    /// <param name="mode">How to wait if it calls Retry.</param>
    /// <returns>Whether it committed.</returns>
    public TransactionOutcome Execute(Action body, WaitMode mode = WaitMode.Patient)
    {
        _bodyRuns = 0;
        _retryCalls = 0;
        void Counted()
        {
            _bodyRuns++;
            body();
        }

        try
        {
            switch (mode)
            {
                case WaitMode.CancelSoon:
                    using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Context.StopToken))
                    {
                        cts.CancelAfter(Random.Next(0, 20));
                        Atomic.Run(Counted, cts.Token);
                    }

                    break;
                case WaitMode.ShortTimeout:
                    if (!Atomic.TryRun(Counted, TimeSpan.FromMilliseconds(Random.Next(0, 20))))
                    {
                        return TransactionOutcome.NotCommitted;
                    }

                    break;
                default:
                    if (!Atomic.TryRun(Counted, PatientTimeout))
                    {
                        return TransactionOutcome.NotCommitted;
                    }

                    break;
            }

            return TransactionOutcome.Committed;
        }
        catch (OperationCanceledException) when (mode == WaitMode.CancelSoon)
        {
            return TransactionOutcome.NotCommitted;
        }
        catch (Exception exception) when (InjectedFaultException.Find(exception) is not null)
        {
            // A handler's failure never changes the outcome, and says what it was: AfterRollback
            // failures of attempts that were re-run reach the caller after the run commits, marked
            // committed like AfterCommit failures. A fault from the body means nothing committed.
            return exception.Data["Stm.TransactionCommitted"] is true
                ? TransactionOutcome.Committed
                : TransactionOutcome.NotCommitted;
        }
        finally
        {
            int attempts = _bodyRuns - _retryCalls;
            if (attempts > MaxAttempts)
            {
                MaxAttempts = attempts;
            }
        }
    }
}
