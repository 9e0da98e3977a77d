using System.Diagnostics.Metrics;

namespace Stm.Internal;

/// <summary>
/// The <c>Stm</c> meter. Each instrument is checked for listeners first, so with none attached
/// the cost is one predictable branch.
/// </summary>
internal static class StmMetrics
{
    internal const string MeterName = StmDiagnostics.MeterName;

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

    /// <summary>Transactions found waiting in Retry longer than the long-wait threshold (once per park).</summary>
    internal static readonly Counter<long> LongWaits =
        s_meter.CreateCounter<long>(
            "stm.long_waits",
            "{transaction}",
            "Transactions found waiting in Retry for longer than StmDiagnostics.LongWaitThreshold, counted once per park; tagged with the first TVar names it waits on and whether it was never woken.");

    /// <summary>Transactions waiting in Retry now.</summary>
    internal static readonly ObservableGauge<int> Waiting =
        s_meter.CreateObservableGauge("stm.waiting", ObserveWaiting, "{transaction}", "Transactions waiting in Retry now (blocking, RunAsync and checkout waits).");

    internal static void RecordConflict(ref TransactionCounters counters, ITVar? var)
    {
        counters.Conflicts++;
        if (var is not null)
        {
            ConflictTable.Record(var);
        }

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

    internal static void RecordLongWait(in LongWaitReport report)
    {
        if (LongWaits.Enabled)
        {
            LongWaits.Add(
                1,
                new KeyValuePair<string, object?>("tvars", report.TagNames),
                new KeyValuePair<string, object?>("stalled", report.LikelyStalled));
        }
    }

    private static int ObserveWaiting()
    {
        // A collector that polls the gauge may have just attached to a process that already waits.
        if (LongWaitMonitor.IsListening)
        {
            LongWaitMonitor.OnListenerAttached();
        }

        return WaiterRegistry.Count;
    }
}
