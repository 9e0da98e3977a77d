namespace Stm.Internal;

/// <summary>
/// Per-thread counts of what transactions run on the current thread did. Tests and benchmarks
/// read them on their worker threads, so parallel work elsewhere in the process does not blur them.
/// </summary>
internal static class TransactionStatistics
{
    [ThreadStatic]
    private static long t_commits;

    [ThreadStatic]
    private static long t_conflicts;

    [ThreadStatic]
    private static long t_retries;

    [ThreadStatic]
    private static long t_attempts;

    /// <summary>Transactions committed on this thread.</summary>
    internal static long Commits => t_commits;

    /// <summary>Attempts aborted by a conflict on this thread.</summary>
    internal static long Conflicts => t_conflicts;

    /// <summary>Attempts that called Retry and waited, on this thread.</summary>
    internal static long Retries => t_retries;

    /// <summary>Attempts started on this thread.</summary>
    internal static long Attempts => t_attempts;

    internal static void RecordCommit() => t_commits++;

    internal static void RecordConflict() => t_conflicts++;

    internal static void RecordRetry() => t_retries++;

    internal static void RecordAttempt() => t_attempts++;
}
