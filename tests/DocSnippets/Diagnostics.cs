using System.Diagnostics.Tracing;
using System.Globalization;
using Stm;

namespace DocSnippets;

/// <summary>The code in docs/diagnostics.md.</summary>
public sealed class Diagnostics
{
    [Fact]
    public void Snapshot_ListsWaitingTransactionsAndPrintsAReport()
    {
        var gate = new TVar<bool>(false, "diagnostics-gate");
        var waiter = new Thread(() => Atomic.Run(() => Atomic.Check(gate.Value))) { IsBackground = true };
        waiter.Start();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!IsWaitingOn("diagnostics-gate") && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(10);
        }

        // snippet: snapshot
        StmDiagnosticsSnapshot snapshot = StmDiagnostics.GetSnapshot();
        foreach (WaitingTransaction waiting in snapshot.WaitingTransactions)      // longest waiting first
        {
            Console.WriteLine($"{waiting.WaitedFor} on {string.Join(", ", waiting.WaitsOn)}");
        }

        Console.WriteLine(snapshot);    // the same as a short report
        // end snippet: snapshot

        Assert.True(IsWaitingOn("diagnostics-gate"), snapshot.ToString());
        gate.Write(true);
        Assert.True(waiter.Join(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void AssertMessage_CarriesTheSnapshotWhenAWaitTimesOut()
    {
        using var done = new ManualResetEventSlim(true);

        // snippet: assert-message
        Assert.True(done.Wait(TimeSpan.FromSeconds(30)), StmDiagnostics.GetSnapshot().ToString());
        // end snippet: assert-message
    }

    [Fact]
    public void StallLog_IsAnEventListener()
    {
        // Compiled, not enabled here: a listener in the test process would receive every test's events.
        Assert.True(typeof(EventListener).IsAssignableFrom(typeof(StallLog)));
    }

    /// <summary>True if a transaction is waiting on the TVar named <paramref name="name"/> (other tests park waiters of their own).</summary>
    private static bool IsWaitingOn(string name) =>
        StmDiagnostics.GetSnapshot().WaitingTransactions.Any(w => w.WaitsOn.Any(t => t.Name == name));

    // snippet: stall-log
    internal sealed class StallLog : EventListener
    {
        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == StmDiagnostics.EventSourceName)
            {
                EnableEvents(source, EventLevel.Warning);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e) =>
            Console.Error.WriteLine(string.Format(CultureInfo.InvariantCulture, e.Message!, e.Payload!.ToArray()));
    }
    // end snippet: stall-log
}
