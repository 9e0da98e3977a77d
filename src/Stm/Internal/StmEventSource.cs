using System.Diagnostics.Tracing;

namespace Stm.Internal;

/// <summary>
/// The <c>Stm</c> event source: long waits in Retry, for dotnet-trace, PerfView, ETW and in-process
/// <see cref="EventListener"/>s. Written only by <see cref="LongWaitMonitor"/>'s scan, never on a
/// transaction's path.
/// </summary>
[EventSource(Name = StmDiagnostics.EventSourceName)]
internal sealed class StmEventSource : EventSource
{
    internal const int LongWaitEventId = 1;
    internal const int StalledWaitEventId = 2;

    internal static readonly StmEventSource Log = new();

    private StmEventSource()
    {
    }

    /// <summary>
    /// A transaction has waited in Retry longer than the threshold and has been woken since it first
    /// parked: what it waits on is being written, but its condition still does not hold.
    /// </summary>
    [Event(LongWaitEventId, Level = EventLevel.Informational, Keywords = Keywords.Waits,
        Message = "A transaction has waited {0} ms in Retry on {1} ({2} TVars); it was woken {3} times without committing.")]
    public void LongWait(long waitedMilliseconds, string tvars, int tvarCount, int wakeups, bool isAsync, int managedThreadId) =>
        WriteEvent(LongWaitEventId, new EventSourcePrimitive[] { waitedMilliseconds, tvars, tvarCount, wakeups, isAsync, managedThreadId });

    /// <summary>
    /// A transaction has waited in Retry longer than the threshold and has never been woken: nothing it
    /// waits on has been written since it first parked, so whatever should wake it is not running.
    /// </summary>
    [Event(StalledWaitEventId, Level = EventLevel.Warning, Keywords = Keywords.Waits,
        Message = "A transaction has waited {0} ms in Retry on {1} ({2} TVars) and none of them has been written since it started waiting.")]
    public void StalledWait(long waitedMilliseconds, string tvars, int tvarCount, bool isAsync, int managedThreadId) =>
        WriteEvent(StalledWaitEventId, new EventSourcePrimitive[] { waitedMilliseconds, tvars, tvarCount, isAsync, managedThreadId });

    /// <summary>Writes the event that fits <paramref name="report"/>, if a listener wants it.</summary>
    [NonEvent]
    internal void Report(in LongWaitReport report)
    {
        if (report.LikelyStalled)
        {
            if (IsEnabled(EventLevel.Warning, Keywords.Waits))
            {
                StalledWait(report.WaitedMilliseconds, report.EventNames, report.TVarCount, report.IsAsync, report.ThreadId);
            }
        }
        else if (IsEnabled(EventLevel.Informational, Keywords.Waits))
        {
            LongWait(report.WaitedMilliseconds, report.EventNames, report.TVarCount, report.Wakeups, report.IsAsync, report.ThreadId);
        }
    }

    /// <inheritdoc/>
    protected override void OnEventCommand(EventCommandEventArgs command)
    {
        if (command.Command == EventCommand.Enable)
        {
            LongWaitMonitor.OnListenerAttached();
        }
    }

    /// <summary>The event source's keywords.</summary>
    public static class Keywords
    {
        /// <summary>Long and stalled waits in Retry.</summary>
        public const EventKeywords Waits = (EventKeywords)1;
    }
}
