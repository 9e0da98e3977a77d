namespace Stm.Internal;

/// <summary>
/// The body of a run just woken from Retry: runs <typeparamref name="TBody"/>, then, if the attempt is
/// about to commit an update, takes places in the lines of the TVars it read and waits for the run's
/// turn in all of them (<see cref="WakeTurn"/>) before returning to the commit. Reads and read-only attempts never wait. A run that holds priority (see
/// <see cref="ContentionManager"/>) gives it up before it waits: the runs ahead of it would otherwise
/// wait for it in turn.
/// </summary>
/// <typeparam name="TBody">The run's own body.</typeparam>
/// <typeparam name="TResult">The body's result.</typeparam>
internal struct TurnTakingBody<TBody, TResult> : IBody<TResult>
    where TBody : struct, IBody<TResult>
{
    /// <summary>The run's places in line.</summary>
    private readonly WakeTurn _turn;

    /// <summary>The run's deadline (an <see cref="Environment.TickCount64"/> value, or <see cref="long.MaxValue"/>): the turn is not waited for past it.</summary>
    private readonly long _deadline;

    /// <summary>The run's own body; a field, not a copy per call, so that the caller can take its state back.</summary>
    internal TBody Inner;

    /// <summary>Wraps <paramref name="inner"/> for the run with <paramref name="turn"/>, whose wait for its turn ends at <paramref name="deadline"/>.</summary>
    internal TurnTakingBody(TBody inner, WakeTurn turn, long deadline)
    {
        Inner = inner;
        _turn = turn;
        _deadline = deadline;
    }

    /// <summary>Runs the run's body, then, before an update commit, waits for the run's turn.</summary>
    public TResult Invoke()
    {
        // The first AfterCommit handler of the attempt: once it has committed, the runs behind it need
        // not wait for the run's own handlers.
        Transaction.Current?.AddHandler(_turn.LeaveAfterCommit, afterCommit: true);
        TResult result = Inner.Invoke();
        if (Transaction.Current is { } transaction && transaction.WaitsForTurnBeforeCommit)
        {
            transaction.JoinLinesOfReads(_turn);
            if (!_turn.IsFirst)
            {
                transaction.GivePriorityUpForTurn();
                _turn.WaitForTurn(_deadline);
            }
        }

        return result;
    }
}
