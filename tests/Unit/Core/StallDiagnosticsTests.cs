using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// <see cref="StmDiagnostics"/>: the snapshot of waiting transactions and conflicted TVars, the
/// <c>stm.waiting</c> gauge, and long waits on the <c>stm.long_waits</c> counter and the <c>Stm</c>
/// event source. Sequential: the long-wait threshold, the event source and the waiter registry are
/// process-wide, so other tests must not park, listen or change the threshold meanwhile. Every TVar
/// has a name unique to its test, and waiters are picked out of the snapshot by it.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class StallDiagnosticsTests
{
    [Fact]
    public void Snapshot_BlockingWaiter_ListsItsTVarsAndThreadUntilItIsWoken()
    {
        string name = UniqueName("gate");
        string otherName = UniqueName("other");
        var gate = new TVar<bool>(false, name);
        var other = new TVar<int>(7, otherName);
        var unnamed = new TVar<int>(0);
        int threadId = 0;
        DateTime before = DateTime.UtcNow;

        var worker = TestThread.Start(() =>
        {
            threadId = Environment.CurrentManagedThreadId;
            Atomic.Run(() =>
            {
                _ = other.Value + unnamed.Value;
                Atomic.Check(gate.Value);
            });
        });

        WaitingTransaction waiting = WaitUntilListed(name);
        Assert.False(waiting.IsAsync);
        Assert.Equal(threadId, waiting.ManagedThreadId);
        Assert.Equal(0, waiting.Wakeups);
        Assert.InRange(waiting.WaitingSince, before.AddMilliseconds(-50), DateTime.UtcNow.AddMilliseconds(50));
        Assert.True(waiting.WaitedFor >= TimeSpan.Zero);
        Assert.Equal(3, waiting.WaitsOn.Count);
        Assert.Contains(waiting.WaitsOn, v => v.Name == otherName);
        TVarInfo anonymous = Assert.Single(waiting.WaitsOn, v => v.Name is null);
        Assert.Equal(TVarState.Of(unnamed).Id, anonymous.Id);
        Assert.Equal("(unnamed) #" + anonymous.Id, anonymous.ToString());
        Assert.Contains(name, StmDiagnostics.GetSnapshot().ToString(), StringComparison.Ordinal);

        gate.Write(true);
        worker.Join();
        WaitUntilGone(name);
    }

    [Fact]
    public void Snapshot_WaiterWokenWithoutCommitting_CountsTheWakeupAndKeepsItsStart()
    {
        string name = UniqueName("items");
        var items = new TVar<int>(0, name);
        var worker = TestThread.Start(() => Atomic.Run(() => Atomic.Check(items.Value >= 2)));
        WaitingTransaction first = WaitUntilListed(name);

        items.Write(1);
        WaitingTransaction second = WaitUntilListed(name, static w => w.Wakeups == 1);

        Assert.Equal(0, first.Wakeups);
        Assert.InRange(second.WaitingSince - first.WaitingSince, TimeSpan.FromMilliseconds(-50), TimeSpan.FromMilliseconds(50));
        items.Write(2);
        worker.Join();
        WaitUntilGone(name);
    }

    [Fact]
    public void Snapshot_CancelledBlockingWaiter_Disappears()
    {
        string name = UniqueName("cancelled");
        var gate = new TVar<bool>(false, name);
        using var cancellation = new CancellationTokenSource();
        var worker = TestThread.Start(() => Atomic.Run(() => Atomic.Check(gate.Value), cancellation.Token));
        WaitUntilListed(name);

        cancellation.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(worker.JoinCapturing());
        WaitUntilGone(name);
    }

    [Fact]
    public void Snapshot_TimedOutWaiter_Disappears()
    {
        string name = UniqueName("timeout");
        var gate = new TVar<bool>(false, name);
        bool committed = true;
        var worker = TestThread.Start(() => committed = Atomic.TryRun(() => Atomic.Check(gate.Value), TimeSpan.FromSeconds(2)));
        WaitUntilListed(name);

        worker.Join();

        Assert.False(committed);
        WaitUntilGone(name);
    }

    [Fact]
    public async Task Snapshot_AsyncWaiter_IsListedWithoutAThreadUntilItCompletes()
    {
        string name = UniqueName("async");
        var gate = new TVar<bool>(false, name);
        Task run = Atomic.RunAsync(() => Atomic.Check(gate.Value)).AsTask();

        WaitingTransaction waiting = WaitUntilListed(name);
        Assert.True(waiting.IsAsync);
        Assert.Null(waiting.ManagedThreadId);

        gate.Write(true);
        await run.WaitAsync(Bounded.Limit);
        WaitUntilGone(name);
    }

    [Fact]
    public async Task Snapshot_CancelledAsyncWaiter_Disappears()
    {
        string name = UniqueName("async-cancelled");
        var gate = new TVar<bool>(false, name);
        using var cancellation = new CancellationTokenSource();
        Task run = Atomic.RunAsync(() => Atomic.Check(gate.Value), cancellation.Token).AsTask();
        WaitUntilListed(name);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Bounded.Limit));
        WaitUntilGone(name);
    }

    [Fact]
    public async Task Snapshot_CheckoutWaitingInRetry_IsListedAsAsyncUntilItCommits()
    {
        string name = UniqueName("checkout");
        var queue = new TVar<int>(0, name);
        Task<int> consumer = Atomic.RunAsync((checkout, _) => ValueTask.FromResult(checkout.Run(() =>
        {
            int items = queue.Value;
            Atomic.Check(items > 0);
            queue.Value = items - 1;
            return items;
        }))).AsTask();

        WaitingTransaction waiting = WaitUntilListed(name);
        Assert.True(waiting.IsAsync);
        Assert.Equal(name, Assert.Single(waiting.WaitsOn).Name);

        queue.Write(1);
        Assert.Equal(1, await consumer.WaitAsync(Bounded.Limit));
        WaitUntilGone(name);
    }

    [Fact]
    public void WaitingGauge_ThroughAMeterListener_ReportsHowManyWait()
    {
        const int Waiters = 6;
        string name = UniqueName("gauge");
        var gate = new TVar<bool>(false, name);
        int latest = -1;
        using var listener = new MeterListener
        {
            InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Meter.Name == StmDiagnostics.MeterName && instrument.Name == "stm.waiting")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => Volatile.Write(ref latest, value));
        listener.Start();
        int Observe()
        {
            listener.RecordObservableInstruments();
            return Volatile.Read(ref latest);
        }

        int before = Observe();
        var workers = new TestThread[Waiters];
        for (int i = 0; i < Waiters; i++)
        {
            workers[i] = TestThread.Start(() => Atomic.Run(() => Atomic.Check(gate.Value)), $"gauge waiter {i}");
        }

        Bounded.Until(() => Observe() == before + Waiters, $"the gauge to show {Waiters} more waiters than {before}");
        gate.Write(true);
        foreach (TestThread worker in workers)
        {
            worker.Join();
        }

        Bounded.Until(() => Observe() == before, $"the gauge to come back to {before}");
    }

    [Fact]
    public void LongWait_NeverWoken_IsCountedAsStalledAndWarnedOnTheEventSource()
    {
        string name = UniqueName("lonely");
        var lonely = new TVar<bool>(false, name);
        using var measurements = new LongWaitMeasurements();
        using var events = new StmEvents();
        TimeSpan threshold = StmDiagnostics.LongWaitThreshold;
        StmDiagnostics.LongWaitThreshold = TimeSpan.FromMilliseconds(100);
        try
        {
            var worker = TestThread.Start(() => Atomic.Run(() => Atomic.Check(lonely.Value)));

            Bounded.Until(() => measurements.For(name).Any(static m => m.Stalled), "a long-wait measurement tagged stalled");
            Bounded.Until(() => events.For(name).Any(static e => e.EventId == StmEventSource.StalledWaitEventId), "a StalledWait event");
            EventWrittenEventArgs warning = events.For(name).First(static e => e.EventId == StmEventSource.StalledWaitEventId);
            Assert.Equal(EventLevel.Warning, warning.Level);
            Assert.Equal("StalledWait", warning.EventName);
            Assert.True((long)warning.Payload![0]! >= 100, "the event says how long it waited");
            Assert.Equal(1, (int)warning.Payload[2]!);

            lonely.Write(true);
            worker.Join();
        }
        finally
        {
            StmDiagnostics.LongWaitThreshold = threshold;
        }

        // Reported once per park, however many scans saw it.
        Assert.Single(measurements.For(name));
    }

    [Fact]
    public void LongWait_WokenButStillWaiting_IsCountedAsNotStalledAndLoggedAsInformational()
    {
        string name = UniqueName("starved");
        var items = new TVar<int>(0, name);
        using var measurements = new LongWaitMeasurements();
        using var events = new StmEvents();
        TimeSpan threshold = StmDiagnostics.LongWaitThreshold;

        // Long enough that the wake-up below lands before the first scan could report the park.
        StmDiagnostics.LongWaitThreshold = TimeSpan.FromMilliseconds(500);
        try
        {
            var worker = TestThread.Start(() => Atomic.Run(() => Atomic.Check(items.Value >= 2)));
            WaitUntilListed(name);
            items.Write(1);
            WaitUntilListed(name, static w => w.Wakeups == 1);

            Bounded.Until(() => measurements.For(name).Any(static m => !m.Stalled), "a long-wait measurement not tagged stalled");
            Bounded.Until(() => events.For(name).Any(static e => e.EventId == StmEventSource.LongWaitEventId), "a LongWait event");
            EventWrittenEventArgs logged = events.For(name).First(static e => e.EventId == StmEventSource.LongWaitEventId);
            Assert.Equal(EventLevel.Informational, logged.Level);
            Assert.Equal(1, (int)logged.Payload![3]!);
            Assert.DoesNotContain(events.For(name), static e => e.EventId == StmEventSource.StalledWaitEventId);

            items.Write(2);
            worker.Join();
        }
        finally
        {
            StmDiagnostics.LongWaitThreshold = threshold;
        }
    }

    [Fact]
    public void LongWait_TVarNamesInTheTag_AreTheFirstFewThenAnEllipsis()
    {
        string prefix = UniqueName("many");
        var vars = Enumerable.Range(0, 5).Select(i => new TVar<int>(0, $"{prefix}-{i}")).ToArray();
        using var measurements = new LongWaitMeasurements();
        TimeSpan threshold = StmDiagnostics.LongWaitThreshold;
        StmDiagnostics.LongWaitThreshold = TimeSpan.FromMilliseconds(100);
        try
        {
            var worker = TestThread.Start(() => Atomic.Run(() => Atomic.Check(vars.Sum(static v => v.Value) > 0)));
            Bounded.Until(() => measurements.For(prefix).Length != 0, "a long-wait measurement");

            Assert.Equal($"{prefix}-0, {prefix}-1, {prefix}-2, ...", measurements.For(prefix).Single().TVars);
            vars[4].Write(1);
            worker.Join();
        }
        finally
        {
            StmDiagnostics.LongWaitThreshold = threshold;
        }
    }

    [Fact]
    public void LongWaitScan_NobodyListening_IsNotScheduledWhileTransactionsWait()
    {
        string name = UniqueName("unobserved");
        var gate = new TVar<bool>(false, name);
        var worker = TestThread.Start(() => Atomic.Run(() => Atomic.Check(gate.Value)));
        WaitUntilListed(name);

        // A scan scheduled by an earlier test's listener stops at its next tick.
        Bounded.Until(static () => !LongWaitMonitor.IsScheduled, "the long-wait scan to stop");
        Thread.Sleep(50);
        bool scheduledWithoutListener = LongWaitMonitor.IsScheduled;

        bool scheduledWithListener;
        using (new LongWaitMeasurements())
        {
            // A listener attached to a process that already waits: observing the gauge starts the scan.
            using var gauge = new MeterListener
            {
                InstrumentPublished = static (instrument, l) =>
                {
                    if (instrument.Meter.Name == StmDiagnostics.MeterName && instrument.Name == "stm.waiting")
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            gauge.Start();
            gauge.RecordObservableInstruments();
            scheduledWithListener = LongWaitMonitor.IsScheduled;
        }

        gate.Write(true);
        worker.Join();

        Assert.False(scheduledWithoutListener);
        Assert.True(scheduledWithListener);
        Bounded.Until(static () => !LongWaitMonitor.IsScheduled, "the long-wait scan to stop once nobody listens");
    }

    [Fact]
    public void LongWaitThreshold_ZeroOrNegative_ThrowsAndInfiniteTurnsReportsOff()
    {
        TimeSpan threshold = StmDiagnostics.LongWaitThreshold;
        try
        {
            Assert.Equal(TimeSpan.FromSeconds(10), threshold);
            Assert.Throws<ArgumentOutOfRangeException>(() => StmDiagnostics.LongWaitThreshold = TimeSpan.Zero);
            Assert.Throws<ArgumentOutOfRangeException>(() => StmDiagnostics.LongWaitThreshold = TimeSpan.FromSeconds(-2));
            StmDiagnostics.LongWaitThreshold = Timeout.InfiniteTimeSpan;
            Assert.Equal(Timeout.InfiniteTimeSpan, StmDiagnostics.LongWaitThreshold);
        }
        finally
        {
            StmDiagnostics.LongWaitThreshold = threshold;
        }
    }

    [Fact]
    public void ConflictCounts_ForcedConflicts_AreAttributedToTheTVarThatChanged()
    {
        string name = UniqueName("hot");
        var hot = new TVar<int>(0, name);
        var unnamed = new TVar<int>(0);
        var bystander = new TVar<int>(0, UniqueName("bystander"));

        for (int i = 0; i < 3; i++)
        {
            ForceOneConflict(hot, bystander);
        }

        ForceOneConflict(unnamed, bystander);

        IReadOnlyList<TVarConflicts> rows = StmDiagnostics.GetSnapshot().MostConflictedTVars;
        Assert.Equal(3, Assert.Single(rows, r => r.TVar.Name == name).Conflicts);
        Assert.Equal(1, Assert.Single(rows, r => r.TVar.Id == TVarState.Of(unnamed).Id).Conflicts);
        Assert.DoesNotContain(rows, r => r.TVar.Name == bystander.Name);
        Assert.True(rows.Zip(rows.Skip(1)).All(static pair => pair.First.Conflicts >= pair.Second.Conflicts), "most conflicts first");
    }

    [Fact]
    public void ConflictCounts_ManyThreadsOnOneCounter_AddUpToTheirConflicts()
    {
        const int Threads = 6;
        const int Increments = 2_000;
        string name = UniqueName("contended");
        var counter = new TVar<long>(0, name);
        long conflicts = 0;

        using var start = new Barrier(Threads);
        TestThread.RunAll(Threads, index =>
        {
            var own = new TVar<long>(0, $"{name}-own-{index}");
            start.SignalAndWait(Bounded.Limit);
            long before = TransactionStatistics.Conflicts;
            for (int i = 0; i < Increments; i++)
            {
                Atomic.Run(() =>
                {
                    own.Value++;
                    counter.Value++;
                });
            }

            Interlocked.Add(ref conflicts, TransactionStatistics.Conflicts - before);
        });

        Assert.Equal(Threads * Increments, counter.Read());
        TVarConflicts[] rows = StmDiagnostics.GetSnapshot().MostConflictedTVars.Where(r => r.TVar.Name?.StartsWith(name, StringComparison.Ordinal) == true).ToArray();
        long counted = rows.SingleOrDefault(r => r.TVar.Name == name)?.Conflicts ?? 0;

        // Only the shared counter can conflict; a row replaced in a race may lose a count or two.
        Assert.All(rows, r => Assert.Equal(name, r.TVar.Name));
        Assert.InRange(counted, conflicts - Threads, conflicts);
    }

    private static string UniqueName(string what) => $"stall-{what}-{Guid.NewGuid():N}";

    private static WaitingTransaction? Find(string name, Func<WaitingTransaction, bool>? condition) =>
        StmDiagnostics.GetSnapshot().WaitingTransactions
            .FirstOrDefault(w => w.WaitsOn.Any(v => v.Name == name) && (condition is null || condition(w)));

    private static WaitingTransaction WaitUntilListed(string name, Func<WaitingTransaction, bool>? condition = null)
    {
        WaitingTransaction? found = null;
        Bounded.Until(() => (found = Find(name, condition)) is not null, $"a waiter on {name} to be listed");
        return found!;
    }

    private static void WaitUntilGone(string name) =>
        Bounded.Until(() => Find(name, condition: null) is null, $"the waiter on {name} to leave the snapshot");

    /// <summary>
    /// One transaction reads <paramref name="tvar"/> and <paramref name="bystander"/>, another commits a
    /// write of <paramref name="tvar"/> in between, so the first one's commit conflicts on it once.
    /// </summary>
    private static void ForceOneConflict(TVar<int> tvar, TVar<int> bystander)
    {
        using var readDone = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int runs = 0;
        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            int value = tvar.Value + bystander.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
            {
                readDone.Set();
                Bounded.Wait(otherCommitted, "the other write");
            }

            tvar.Value = value + 1;
        }));

        Bounded.Wait(readDone, "the held transaction to read");
        tvar.Modify(static v => v + 10);
        otherCommitted.Set();
        held.Join();
        Assert.Equal(2, runs);
    }

    /// <summary>Collects <c>stm.long_waits</c> measurements with their tags.</summary>
    private sealed class LongWaitMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string TVars, bool Stalled)> _seen = new();

        public LongWaitMeasurements()
        {
            _listener.InstrumentPublished = static (instrument, l) =>
            {
                if (instrument.Meter.Name == StmDiagnostics.MeterName && instrument.Name == "stm.long_waits")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string tvars = string.Empty;
                bool stalled = false;
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == "tvars")
                    {
                        tvars = (string)tag.Value!;
                    }
                    else if (tag.Key == "stalled")
                    {
                        stalled = (bool)tag.Value!;
                    }
                }

                Assert.Equal(1, value);
                _seen.Enqueue((tvars, stalled));
            });
            _listener.Start();
        }

        public (string TVars, bool Stalled)[] For(string name) =>
            _seen.Where(m => m.TVars.Contains(name, StringComparison.Ordinal)).ToArray();

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Collects the events of the <c>Stm</c> event source, informational and up.</summary>
    private sealed class StmEvents : EventListener
    {
        // Initialized before the base constructor runs, which may already call OnEventSourceCreated.
        private readonly ConcurrentQueue<EventWrittenEventArgs> _events = new();

        public EventWrittenEventArgs[] For(string name) =>
            _events.Where(e => e.Payload is { Count: > 1 } payload && payload[1] is string tvars && tvars.Contains(name, StringComparison.Ordinal)).ToArray();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == StmDiagnostics.EventSourceName)
            {
                EnableEvents(eventSource, EventLevel.Informational, EventKeywords.All);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData) => _events.Enqueue(eventData);
    }
}
