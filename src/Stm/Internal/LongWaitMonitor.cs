namespace Stm.Internal;

/// <summary>
/// Finds transactions that have waited in Retry longer than <see cref="Threshold"/> and reports each
/// park once, on the <c>stm.long_waits</c> counter and the <c>Stm</c> event source. One timer scans
/// <see cref="WaiterRegistry"/>; it is scheduled only while someone listens and someone waits, so a
/// process that nobody observes has no timer and pays one listener check per park.
/// </summary>
/// <remarks>
/// The timer is one-shot and re-armed at the end of each scan, so scans never overlap. A scan stops
/// re-arming when nobody listens or nobody waits; it is scheduled again when a waiter is listed while
/// someone listens, when the event source is enabled, or when the <c>stm.waiting</c> gauge is observed
/// by a long-wait listener (so a listener attached to a process that already hangs finds its waiters).
/// Stopping and listing race: the scan clears <see cref="s_scheduled"/> and then re-reads the count,
/// a parker lists itself and then reads <see cref="s_scheduled"/>, each with a full fence in between, so
/// at least one of them sees the other and a listed waiter is never left without a scan.
/// </remarks>
internal static class LongWaitMonitor
{
    /// <summary>The longest time between two scans: how late a long wait may be reported.</summary>
    private const int MaxScanPeriodMilliseconds = 1000;

    /// <summary>The shortest time between two scans, for very small thresholds (tests).</summary>
    private const int MinScanPeriodMilliseconds = 20;

    /// <summary>The threshold value that turns the scan off.</summary>
    private const long Off = -1;

    /// <summary>A plain monitor (not System.Threading.Lock), so that systematic-testing tools can control it.</summary>
    private static readonly object s_gate = new();

    private static readonly TimerCallback s_scan = Scan;

    /// <summary>The threshold in milliseconds, or <see cref="Off"/>.</summary>
    private static long s_thresholdMilliseconds = (long)StmDiagnostics.DefaultLongWaitThreshold.TotalMilliseconds;

    /// <summary>Created on first use, under <see cref="s_gate"/>; never disposed (it holds no thread while unarmed).</summary>
    private static Timer? s_timer;

    /// <summary>1 while a scan is scheduled or running, else 0; written under <see cref="s_gate"/>.</summary>
    private static int s_scheduled;

    /// <summary>See <see cref="StmDiagnostics.LongWaitThreshold"/>; <see cref="Timeout.InfiniteTimeSpan"/> turns the scan off.</summary>
    internal static TimeSpan Threshold
    {
        get
        {
            long milliseconds = Volatile.Read(ref s_thresholdMilliseconds);
            return milliseconds == Off ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);
        }

        set => Volatile.Write(ref s_thresholdMilliseconds, value == Timeout.InfiniteTimeSpan ? Off : (long)value.TotalMilliseconds);
    }

    /// <summary>True while the event source is enabled or a meter listener has <c>stm.long_waits</c> enabled.</summary>
    /// <remarks>
    /// The event source is asked first: that creates it at the first park, so tracing tools can find
    /// and enable it even in a process where a meter listener already makes this true.
    /// </remarks>
    internal static bool IsListening => StmEventSource.Log.IsEnabled() || StmMetrics.LongWaits.Enabled;

    /// <summary>True while a scan is scheduled or running (tests).</summary>
    internal static bool IsScheduled => Volatile.Read(ref s_scheduled) != 0;

    /// <summary>Called by every park once its waiter is listed.</summary>
    internal static void OnWaiterListed()
    {
        if (!IsListening)
        {
            return;
        }

        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref s_scheduled) == 0)
        {
            Schedule();
        }
    }

    /// <summary>
    /// A listener may have been attached: schedules a scan if anyone waits. Reads nothing of the event
    /// source, because the event source calls it while it is being constructed.
    /// </summary>
    internal static void OnListenerAttached()
    {
        if (Volatile.Read(ref s_scheduled) == 0 && WaiterRegistry.Count != 0)
        {
            Schedule();
        }
    }

    private static void Schedule()
    {
        lock (s_gate)
        {
            if (s_scheduled != 0)
            {
                return;
            }

            s_scheduled = 1;
            s_timer ??= CreateTimer();
            s_timer.Change(ScanPeriod(), Timeout.Infinite);
        }
    }

    private static Timer CreateTimer()
    {
        // The timer must not capture the execution context (async locals) of whichever park created it.
        bool restoreFlow = false;
        try
        {
            if (!ExecutionContext.IsFlowSuppressed())
            {
                ExecutionContext.SuppressFlow();
                restoreFlow = true;
            }

            return new Timer(s_scan, null, Timeout.Infinite, Timeout.Infinite);
        }
        finally
        {
            if (restoreFlow)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    private static int ScanPeriod()
    {
        long threshold = Volatile.Read(ref s_thresholdMilliseconds);
        return threshold == Off
            ? MaxScanPeriodMilliseconds
            : (int)Math.Clamp(threshold / 2, MinScanPeriodMilliseconds, MaxScanPeriodMilliseconds);
    }

    private static void Scan(object? state)
    {
        try
        {
            ReportLongWaits();
        }
        finally
        {
            bool again;
            lock (s_gate)
            {
                again = IsListening && WaiterRegistry.Count != 0;
                if (again)
                {
                    s_timer!.Change(ScanPeriod(), Timeout.Infinite);
                }
                else
                {
                    Volatile.Write(ref s_scheduled, 0);
                }
            }

            if (!again)
            {
                Interlocked.MemoryBarrier();
                if (WaiterRegistry.Count != 0 && IsListening)
                {
                    Schedule();
                }
            }
        }
    }

    private static void ReportLongWaits()
    {
        long threshold = Volatile.Read(ref s_thresholdMilliseconds);
        if (threshold == Off)
        {
            return;
        }

        List<LongWaitReport>? reports = null;
        WaiterRegistry.CollectLongWaits(threshold, ref reports);
        if (reports is null)
        {
            return;
        }

        foreach (LongWaitReport report in reports)
        {
            try
            {
                StmMetrics.RecordLongWait(report);
                StmEventSource.Log.Report(report);
            }
#pragma warning disable CA1031 // a listener's exception must not escape a timer callback: it would end the process
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
