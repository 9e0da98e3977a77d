using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// The <c>Stm</c> meter and the per-thread <see cref="TransactionStatistics"/>. Other tests run in
/// parallel and feed the same meter, so measurements are picked out by a TVar name unique to the test.
/// </summary>
public sealed class DiagnosticsTests
{
    [Fact]
    public void Conflict_OnNamedTVar_IsReportedOnTheStmMeterWithTheTVarName()
    {
        string name = "diag-" + Guid.NewGuid().ToString("N");
        var counter = new TVar<int>(0, name);
        var conflictsOnThisTVar = new ConcurrentQueue<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Stm" && instrument.Name == "stm.conflicts")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "tvar" && Equals(tag.Value, name))
                {
                    conflictsOnThisTVar.Enqueue(value);
                }
            }
        });
        listener.Start();

        ForceOneConflict(counter);

        Assert.Equal(new long[] { 1 }, conflictsOnThisTVar);
    }

    [Fact]
    public void TransactionStatistics_CountCommitsAttemptsAndRetriesOfThisThread()
    {
        var gate = new TVar<bool>(false);
        var data = new TVar<int>(0);
        (long Commits, long Attempts, long Retries, long Conflicts) delta = default;
        using var parked = new ManualResetEventSlim();

        var worker = TestThread.Start(() =>
        {
            long commits = TransactionStatistics.Commits;
            long attempts = TransactionStatistics.Attempts;
            long retries = TransactionStatistics.Retries;
            long conflicts = TransactionStatistics.Conflicts;

            Atomic.Run(() => data.Value);
            Atomic.Run(() => { data.Value = 1; });
            Atomic.Run(() =>
            {
                bool open = gate.Value;
                if (!open)
                {
                    parked.Set();
                }

                Atomic.Check(open);
            });

            delta = (
                TransactionStatistics.Commits - commits,
                TransactionStatistics.Attempts - attempts,
                TransactionStatistics.Retries - retries,
                TransactionStatistics.Conflicts - conflicts);
        });

        Bounded.Wait(parked, "the worker to reach Retry");
        Bounded.UntilParked(worker, "the worker");
        gate.Write(true);
        worker.Join();

        Assert.Equal((3L, 4L, 1L, 0L), delta);
    }

    private static void ForceOneConflict(TVar<int> counter)
    {
        using var readDone = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int runs = 0;
        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            int value = counter.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
            {
                readDone.Set();
                Bounded.Wait(otherCommitted, "the other write");
            }

            counter.Write(value + 1);
        }));

        Bounded.Wait(readDone, "the held transaction to read");
        counter.Write(10);
        otherCommitted.Set();
        held.Join();
        Assert.Equal(2, runs);
    }
}
