using Stm.Testing.History;
using Xunit;

namespace Stm.Tests.Unit.History;

public sealed class HistoryRecorderTests
{
    [Fact]
    public void Record_ManyThreads_GivesEveryTransactionItsOwnId()
    {
        const int Threads = 8;
        const int PerThread = 250;
        var recorder = new HistoryRecorder();
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                var log = new TransactionLog();
                log.Append(t, (t * PerThread) + i);
                recorder.Record(log, TransactionOutcome.Committed);
            }
        })).ToArray();

        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "a recording thread hung");
        }

        var history = recorder.Snapshot();
        Assert.Equal(Threads * PerThread, recorder.Count);
        Assert.Equal(Enumerable.Range(1, Threads * PerThread), history.Select(t => t.Id));
        Assert.Equal(Threads * PerThread, history.Select(t => t.Operations[0].Element).Distinct().Count());
    }

    [Fact]
    public void Record_Log_CopiesOperations()
    {
        var recorder = new HistoryRecorder();
        var log = new TransactionLog();
        var observed = new List<int> { 1, 2 };
        log.Read(3, observed);
        log.Append(3, 4);

        var id = recorder.Record(log, TransactionOutcome.Aborted);
        log.Append(3, 5);
        observed.Add(9);

        var transaction = Assert.Single(recorder.Snapshot());
        Assert.Equal(1, id);
        Assert.Equal(TransactionOutcome.Aborted, transaction.Outcome);
        Assert.Equal(2, transaction.Operations.Count);
        Assert.Equal(new[] { 1, 2 }, transaction.Operations[0].Observed.ToArray());
        Assert.Equal("T1 aborted [r 3 [1, 2], append 3 4]", transaction.ToString());
    }

    [Fact]
    public void Record_NullArguments_ThrowArgumentNullException()
    {
        var recorder = new HistoryRecorder();

        Assert.Equal("log", Assert.Throws<ArgumentNullException>(() => recorder.Record(null!, TransactionOutcome.Committed)).ParamName);
        Assert.Equal("operations", Assert.Throws<ArgumentNullException>(() => recorder.RecordCommitted((IEnumerable<MicroOperation>)null!)).ParamName);
        Assert.Equal("observed", Assert.Throws<ArgumentNullException>(() => MicroOperation.Read(1, null!)).ParamName);
        Assert.Equal(0, recorder.Count);
    }

    [Fact]
    public void CheckSerializable_RecordedAnomaly_IsReported()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(MicroOperation.Read(1, []), MicroOperation.Append(1, 1));
        recorder.RecordCommitted(MicroOperation.Read(1, []), MicroOperation.Append(1, 2));

        var report = recorder.CheckSerializable();

        Assert.True(report.Has(AnomalyKind.LostUpdate), report.ToString());
        Assert.Equal(2, report.TransactionCount);
    }
}
