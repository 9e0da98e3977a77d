namespace Stm.Internal;

/// <summary>What one top-level run has been through so far, across attempts and waits.</summary>
internal struct RunProgress
{
    /// <summary>Attempts started.</summary>
    internal int Attempts;

    /// <summary>Attempts aborted by conflicts.</summary>
    internal int Conflicts;

    /// <summary>Times the run was woken from Retry.</summary>
    internal int Wakeups;

    /// <summary>
    /// The <see cref="Environment.TickCount"/> when the run first parked in Retry (set with
    /// <see cref="Ticket"/>), for diagnostics. An int in the padding after <see cref="Wakeups"/>, so
    /// the struct every run zeroes keeps its size.
    /// </summary>
    internal int FirstParkedAt;

    /// <summary>
    /// Wake-ups after which the run parked again because an older waiter woken with it committed
    /// first (see <see cref="TurnLine"/>): fair losses, which do not count towards priority. An int
    /// in the struct's padding, so its size does not change.
    /// </summary>
    internal int WakeupsLostToOlderWaiters;

    /// <summary>The waiter ticket taken when the run first parked (0 before), kept for fairness.</summary>
    internal long Ticket;

    /// <summary>The contention ticket taken when the run started losing (0 before; see <see cref="ContentionManager"/>).</summary>
    internal int PriorityTicket;

    /// <summary>The longest attempt measured so far, in <see cref="System.Diagnostics.Stopwatch"/> ticks (attempts are timed once the run has lost once).</summary>
    internal long LongestAttemptTicks;

    /// <summary>
    /// Failures of AfterRollback handlers of attempts rolled back for a conflict or a retry: the run
    /// goes on, and reports them when it commits (see <see cref="HandlerList.ThrowIfAny"/>).
    /// </summary>
    internal List<Exception>? HandlerFailures;
}
