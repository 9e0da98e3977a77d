namespace Stm.Internal;

/// <summary>
/// Per-thread counts of what transactions run on the current thread did. Tests and benchmarks
/// read them on their worker threads, so parallel work elsewhere in the process does not blur them.
/// </summary>
/// <remarks>
/// The counts live in the thread's cached <see cref="Transaction"/> (one thread-static lookup per
/// transaction is all the hot path can afford); a temporary transaction adds its counts to the
/// cached one when it is done.
/// </remarks>
internal static class TransactionStatistics
{
    /// <summary>Transactions committed on this thread.</summary>
    internal static long Commits => Transaction.ThreadCounters.Commits;

    /// <summary>Attempts aborted by a conflict on this thread.</summary>
    internal static long Conflicts => Transaction.ThreadCounters.Conflicts;

    /// <summary>Attempts that called Retry and waited, on this thread.</summary>
    internal static long Retries => Transaction.ThreadCounters.Retries;

    /// <summary>Attempts started on this thread.</summary>
    internal static long Attempts => Transaction.ThreadCounters.Attempts;

    /// <summary>Update commits on this thread that took TVar locks instead of committing alone.</summary>
    internal static long LockingCommits => Transaction.ThreadCounters.LockingCommits;
}
