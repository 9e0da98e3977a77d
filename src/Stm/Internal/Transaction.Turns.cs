using System.Diagnostics;

namespace Stm.Internal;

/// <summary>
/// Taking turns after a wake: a run woken from Retry commits its update only once the runs woken with
/// it that first parked before it have finished (see <see cref="TurnLine"/>). Called from the waiting
/// paths of <c>Transaction.Run.cs</c> only; a run that never waits never comes here.
/// </summary>
internal sealed partial class Transaction
{
    /// <summary>
    /// True when the attempt whose body just returned will try to commit writes (no retry or conflict
    /// pending): then it must wait for its turn first.
    /// </summary>
    internal bool WaitsForTurnBeforeCommit => _pendingSignal == PendingSignal.None && _writes.Count != 0;

    /// <summary>
    /// Before the update commit of a woken run: takes places for <paramref name="turn"/> in the lines
    /// of the TVars this attempt read that others have waited on, so that an older run woken from any
    /// of them goes first (and younger ones arriving later go after).
    /// </summary>
    internal void JoinLinesOfReads(WakeTurn turn)
    {
        for (int i = 0; i < _reads.Count; i++)
        {
            if (Volatile.Read(ref TVarState.Of(_reads[i].Var).WaitList) is { } waitList)
            {
                turn.JoinLine(waitList.GetOrCreateTurnLine());
            }
        }
    }

    /// <summary>
    /// Gives priority up, if the run holds it, before waiting for its turn: the older runs it waits
    /// for may write what it marked, and would otherwise wait for it in turn. It takes priority again
    /// at its next attempt.
    /// </summary>
    internal void GivePriorityUpForTurn()
    {
        if (_priorityTicket != 0)
        {
            ContentionManager.Release(_priorityTicket);
        }
    }

    /// <summary>
    /// <see cref="RunAttempts"/> for a run just woken from Retry with <paramref name="turn"/>: each
    /// update commit waits for the turn (synchronous runs only; an asynchronous one awaited
    /// <see cref="WakeTurn.WaitForTurnAsync"/> before it started), and the run leaves the line when the attempts end,
    /// however they end. A run that parks again and had lost its wake to an older waiter does not
    /// count that wake towards priority.
    /// </summary>
    private static RetryWaiter? RunAttemptsInTurn<TBody, TResult>(
        ref TBody body,
        ref RunProgress progress,
        WakeTurn turn,
        bool isAsync,
        long deadline,
        Transaction? threadTransaction,
        out TResult result)
        where TBody : struct, IBody<TResult>
    {
        RetryWaiter? next = null;
        bool committed = false;
        try
        {
            if (isAsync)
            {
                // The turn was awaited before: blocking a pool thread for it could starve the runs ahead.
                next = RunAttempts<TBody, TResult>(ref body, ref progress, isAsync, threadTransaction, out result);
            }
            else
            {
                var inTurn = new TurnTakingBody<TBody, TResult>(body, turn, deadline);
                try
                {
                    next = RunAttempts<TurnTakingBody<TBody, TResult>, TResult>(ref inTurn, ref progress, isAsync, threadTransaction, out result);
                }
                finally
                {
                    body = inTurn.Inner;
                }
            }

            committed = next is null;
        }
        finally
        {
            turn.LeaveAll(committed);
        }

        if (next is not null && turn.LostToAnOlderWaiter)
        {
            progress.WakeupsLostToOlderWaiters++;
        }

        return next;
    }

    /// <summary>
    /// Releases <paramref name="waiter"/> after its wait. Returns the run's place in line if it was
    /// <paramref name="woken"/> (the run goes on to take its turn); if the wait ended otherwise (a
    /// timeout, cancellation, an exception) while a commit signalled it, the run leaves the line at
    /// once, so the runs behind it do not wait for it.
    /// </summary>
    private static WakeTurn? ReleaseAfterWait(RetryWaiter waiter, bool woken)
    {
        WakeTurn? turn = waiter.ReleaseKeepingTurn();
        Debug.Assert(!woken || turn is not null, "a woken waiter has a place in line");
        if (!woken && turn is not null)
        {
            turn.LeaveAll(committed: false);
            return null;
        }

        return turn;
    }
}
