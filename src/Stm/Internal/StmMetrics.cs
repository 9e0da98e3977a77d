using System.Diagnostics.Metrics;

namespace Stm.Internal;

/// <summary>
/// The <c>Stm</c> meter. Each instrument is checked for listeners first, so with none attached
/// the cost is one predictable branch.
/// </summary>
internal static class StmMetrics
{
    internal const string MeterName = "Stm";

    private static readonly Meter s_meter = new(MeterName);

    /// <summary>Committed transactions.</summary>
    internal static readonly Counter<long> Commits =
        s_meter.CreateCounter<long>("stm.commits", "{transaction}", "Transactions committed.");

    /// <summary>Attempts aborted by a conflict, tagged with the conflicting TVar's name.</summary>
    internal static readonly Counter<long> Conflicts =
        s_meter.CreateCounter<long>("stm.conflicts", "{attempt}", "Attempts aborted by a conflict with a concurrent commit.");

    /// <summary>Attempts that called Retry and waited.</summary>
    internal static readonly Counter<long> Retries =
        s_meter.CreateCounter<long>("stm.retries", "{attempt}", "Attempts that called Atomic.Retry and waited for a change.");

    /// <summary>Attempts per committed transaction.</summary>
    internal static readonly Histogram<int> Attempts =
        s_meter.CreateHistogram<int>("stm.attempts", "{attempt}", "Attempts per committed transaction.");

    internal static void RecordConflict(ref TransactionCounters counters, ITVar? var)
    {
        counters.Conflicts++;
        if (Conflicts.Enabled)
        {
            Conflicts.Add(1, new KeyValuePair<string, object?>("tvar", (var is null ? null : TVarState.Of(var).Name) ?? "(unnamed)"));
        }
    }

    internal static void RecordCommit(ref TransactionCounters counters, int attempts)
    {
        counters.Commits++;
        if (Commits.Enabled)
        {
            Commits.Add(1);
        }

        if (Attempts.Enabled)
        {
            Attempts.Record(attempts);
        }
    }

    internal static void RecordRetry(ref TransactionCounters counters)
    {
        counters.Retries++;
        if (Retries.Enabled)
        {
            Retries.Add(1);
        }
    }
}
