using Stm.Testing.History;
using Xunit;

namespace Stm.Tests.Unit.History;

/// <summary>Hand-made list-append histories with known anomalies: each must be reported by name.</summary>
public sealed class SerializabilityCheckerTests
{
    private static MicroOperation R(int key, params int[] observed) => MicroOperation.Read(key, observed);

    private static MicroOperation A(int key, int element) => MicroOperation.Append(key, element);

    private static SerializabilityReport Check(HistoryRecorder recorder, bool checkAbortedReads = false) =>
        SerializabilityChecker.Check(recorder.Snapshot(), checkAbortedReads);

    [Fact]
    public void Check_EmptyHistory_IsSerializable()
    {
        var report = SerializabilityChecker.Check([]);

        Assert.True(report.IsSerializable, report.ToString());
        Assert.Empty(report.Anomalies);
        Assert.Equal(0, report.TransactionCount);
    }

    [Fact]
    public void Check_SerialHistory_IsSerializableWithDependencies()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1));
        recorder.RecordCommitted(R(1, 1), A(1, 2), A(2, 3));
        recorder.RecordCommitted(R(1, 1, 2), R(2, 3), A(2, 4), R(2, 3, 4));

        var report = Check(recorder);

        Assert.True(report.IsSerializable, report.ToString());
        Assert.Equal(3, report.TransactionCount);
        Assert.True(report.DependencyCount >= 4, report.ToString());
        Assert.StartsWith("Serializable", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReaderOfOlderSnapshot_IsSerializable()
    {
        // T3 reads the version before T2's append: serial order T1, T3, T2, T4.
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1));
        recorder.RecordCommitted(A(1, 2));
        recorder.RecordCommitted(R(1, 1), R(2));
        recorder.RecordCommitted(R(1, 1, 2));

        var report = Check(recorder);

        Assert.True(report.IsSerializable, report.ToString());
    }

    [Fact]
    public void Check_AbortedTransactionNeverObserved_IsSerializable()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1));
        recorder.Record(TransactionOutcome.Aborted, R(1, 1), A(1, 2));
        recorder.RecordCommitted(R(1, 1), A(1, 3));
        recorder.RecordCommitted(R(1, 1, 3));

        var report = Check(recorder, checkAbortedReads: true);

        Assert.True(report.IsSerializable, report.ToString());
    }

    [Fact]
    public void Check_LostUpdate_ReportsLostUpdateAndGSingle()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(R(1), A(1, 1));
        recorder.RecordCommitted(R(1), A(1, 2));
        recorder.RecordCommitted(R(1, 1, 2));

        var report = Check(recorder);

        Assert.False(report.IsSerializable);
        Assert.True(report.Has(AnomalyKind.LostUpdate), report.ToString());
        Assert.True(report.Has(AnomalyKind.GSingle), report.ToString());
        Assert.Contains("lost update", report.ToString(), StringComparison.Ordinal);
        var lost = Assert.Single(report.Anomalies, a => a.Kind == AnomalyKind.LostUpdate);
        Assert.Equal([1, 2], lost.Transactions);
        Assert.Contains("T1 and T2 all read key 1 = []", lost.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LostUpdateWithoutFinalRead_ReportsLostUpdate()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(R(1, 7), A(1, 1));
        recorder.RecordCommitted(R(1, 7), A(1, 2));
        recorder.RecordCommitted(A(1, 7));

        var report = Check(recorder);

        Assert.True(report.Has(AnomalyKind.LostUpdate), report.ToString());
        Assert.False(report.IsSerializable);
    }

    [Fact]
    public void Check_WriteSkew_ReportsG2()
    {
        // Both read both keys empty, each appends to a different key: no serial order explains it.
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(R(1), R(2), A(1, 1));
        recorder.RecordCommitted(R(1), R(2), A(2, 2));
        recorder.RecordCommitted(R(1, 1), R(2, 2));

        var report = Check(recorder);

        Assert.True(report.Has(AnomalyKind.G2), report.ToString());
        Assert.False(report.Has(AnomalyKind.GSingle), report.ToString());
        Assert.False(report.Has(AnomalyKind.LostUpdate), report.ToString());
        var g2 = Assert.Single(report.Anomalies, a => a.Kind == AnomalyKind.G2);
        Assert.Equal(2, g2.Cycle.Count);
        Assert.All(g2.Cycle, edge => Assert.Equal(DependencyKind.ReadWrite, edge.Kind));
        Assert.Contains("G2 (anti-dependency cycle, write skew)", report.ToString(), StringComparison.Ordinal);
        Assert.Contains("T1 -rw-> T2 -rw-> T1", g2.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WriteSkewWithoutFinalRead_ReportsG2()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(R(1), R(2), A(1, 1));
        recorder.RecordCommitted(R(1), R(2), A(2, 2));

        var report = Check(recorder);

        Assert.True(report.Has(AnomalyKind.G2), report.ToString());
    }

    [Fact]
    public void Check_ReadSkew_ReportsGSingleAndFracturedRead()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1), A(2, 2));
        recorder.RecordCommitted(R(1, 1), R(2, 2), A(1, 3), A(2, 4));
        recorder.RecordCommitted(R(1, 1), R(2, 2, 4)); // sees T2's append to key 2 but not to key 1
        recorder.RecordCommitted(R(1, 1, 3), R(2, 2, 4));

        var report = Check(recorder);

        Assert.True(report.Has(AnomalyKind.GSingle), report.ToString());
        Assert.True(report.Has(AnomalyKind.FracturedRead), report.ToString());
        Assert.False(report.Has(AnomalyKind.G2), report.ToString());
        var single = Assert.Single(report.Anomalies, a => a.Kind == AnomalyKind.GSingle);
        Assert.Equal(1, single.Cycle.Count(edge => edge.Kind == DependencyKind.ReadWrite));
        Assert.Equal([2, 3], single.Transactions.Order());
        Assert.Contains("G-single (read skew)", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FracturedRead_ReportsFracturedReadNamingBothTransactions()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1), A(2, 2));
        recorder.RecordCommitted(R(1, 1), R(2));

        var report = Check(recorder);

        var fractured = Assert.Single(report.Anomalies, a => a.Kind == AnomalyKind.FracturedRead);
        Assert.Equal([1, 2], fractured.Transactions);
        Assert.Contains("T2 saw T1's append of 1 to key 1", fractured.Explanation, StringComparison.Ordinal);
        Assert.Contains("not its append of 2 to key 2", fractured.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReadOfAbortedAppend_ReportsG1aAndDirtyRead()
    {
        var recorder = new HistoryRecorder();
        recorder.Record(TransactionOutcome.Aborted, A(1, 1));
        recorder.RecordCommitted(R(1, 1));

        var report = Check(recorder);

        Assert.True(report.Has(AnomalyKind.G1a), report.ToString());
        Assert.True(report.Has(AnomalyKind.DirtyRead), report.ToString());
        Assert.Contains("appended by T1, which aborted", report.ToString(), StringComparison.Ordinal);
        Assert.Contains("dirty read", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReadOfElementNoOneAppended_ReportsG1a()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(R(1, 9));

        var report = Check(recorder);

        Assert.True(report.Has(AnomalyKind.G1a), report.ToString());
        Assert.Contains("no transaction appended 9 to key 1", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IntermediateRead_ReportsG1bAndDirtyRead()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1), A(1, 2));
        recorder.RecordCommitted(R(1, 1));

        var report = Check(recorder);

        Assert.True(report.Has(AnomalyKind.G1b), report.ToString());
        Assert.True(report.Has(AnomalyKind.DirtyRead), report.ToString());
        Assert.False(report.Has(AnomalyKind.G1a), report.ToString());
    }

    [Fact]
    public void Check_WriteCycle_ReportsG0()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1), A(2, 3));
        recorder.RecordCommitted(A(1, 2), A(2, 4));
        recorder.RecordCommitted(R(1, 1, 2), R(2, 4, 3));

        var report = Check(recorder);

        var g0 = Assert.Single(report.Anomalies, a => a.Kind == AnomalyKind.G0);
        Assert.All(g0.Cycle, edge => Assert.Equal(DependencyKind.WriteWrite, edge.Kind));
        Assert.Contains("G0 (write cycle)", report.ToString(), StringComparison.Ordinal);
        Assert.Contains("T1 -ww-> T2 -ww-> T1", g0.Explanation, StringComparison.Ordinal);
        Assert.False(report.Has(AnomalyKind.G1c), report.ToString());
    }

    [Fact]
    public void Check_CircularInformationFlow_ReportsG1c()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1), R(2, 2));
        recorder.RecordCommitted(A(2, 2), R(1, 1));

        var report = Check(recorder);

        var g1c = Assert.Single(report.Anomalies, a => a.Kind == AnomalyKind.G1c);
        Assert.Contains(g1c.Cycle, edge => edge.Kind == DependencyKind.WriteRead);
        Assert.DoesNotContain(g1c.Cycle, edge => edge.Kind == DependencyKind.ReadWrite);
        Assert.False(report.Has(AnomalyKind.G0), report.ToString());
        Assert.Contains("G1c (circular information flow)", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IncompatibleOrder_ReportsIncompatibleOrder()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1));
        recorder.RecordCommitted(A(1, 2));
        recorder.RecordCommitted(R(1, 1, 2));
        recorder.RecordCommitted(R(1, 2, 1));

        var report = Check(recorder);

        var incompatible = Assert.Single(report.Anomalies, a => a.Kind == AnomalyKind.IncompatibleOrder);
        Assert.Contains("neither is a prefix of the other", incompatible.Explanation, StringComparison.Ordinal);
        Assert.Contains("[1, 2]", incompatible.Explanation, StringComparison.Ordinal);
        Assert.Contains("[2, 1]", incompatible.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ElementAppendedTwice_ReportsDuplicateElement()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1));
        recorder.RecordCommitted(A(1, 1));

        var report = Check(recorder);

        Assert.True(report.Has(AnomalyKind.DuplicateElement), report.ToString());
    }

    [Fact]
    public void Check_ReadMissingOwnAppend_ReportsInternal()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 5), R(1));

        var report = Check(recorder);

        Assert.True(report.Has(AnomalyKind.Internal), report.ToString());
    }

    [Fact]
    public void Check_InconsistentAbortedAttempt_ReportedOnlyWhenAbortedReadsAreChecked()
    {
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1), A(2, 2));
        recorder.Record(TransactionOutcome.Aborted, R(1, 1), R(2), A(3, 3));
        recorder.RecordCommitted(R(1, 1), R(2, 2));

        var lenient = Check(recorder, checkAbortedReads: false);
        var opaque = Check(recorder, checkAbortedReads: true);

        Assert.True(lenient.IsSerializable, lenient.ToString());
        Assert.True(opaque.Has(AnomalyKind.FracturedRead), opaque.ToString());
        Assert.True(opaque.Has(AnomalyKind.GSingle), opaque.ToString());
    }

    [Fact]
    public void Check_StaleReadAfterCommitCompleted_ReportsRealTimeOnlyWhenChecked()
    {
        // T1 appends and completes at 20; T2, invoked at 30, still reads the empty list.
        RecordedTransaction[] history =
        [
            new(1, TransactionOutcome.Committed, [A(1, 1)], invoked: 10, completed: 20),
            new(2, TransactionOutcome.Committed, [R(1)], invoked: 30, completed: 40),
            new(3, TransactionOutcome.Committed, [R(1, 1)], invoked: 50, completed: 60),
        ];

        var serializable = SerializabilityChecker.Check(history);
        var strict = SerializabilityChecker.Check(history, checkRealTime: true);

        Assert.True(serializable.IsSerializable, serializable.ToString());
        var anomaly = Assert.Single(strict.Anomalies);
        Assert.Equal(AnomalyKind.RealTime, anomaly.Kind);
        Assert.Contains("T1 -rt-> T2 -rw-> T1", anomaly.Explanation, StringComparison.Ordinal);
        Assert.Contains("strict serializability violation", strict.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OverlappingTransactionsInRealTime_AreStrictlySerializable()
    {
        // T2 overlaps T1 in time, so reading the version before T1's append is allowed.
        RecordedTransaction[] history =
        [
            new(1, TransactionOutcome.Committed, [A(1, 1)], invoked: 10, completed: 30),
            new(2, TransactionOutcome.Committed, [R(1)], invoked: 20, completed: 40),
            new(3, TransactionOutcome.Committed, [R(1, 1), A(1, 2)], invoked: 50, completed: 60),
            new(4, TransactionOutcome.Committed, [R(1, 1, 2)], invoked: 70, completed: 80),
        ];

        var report = SerializabilityChecker.Check(history, checkRealTime: true);

        Assert.True(report.IsSerializable, report.ToString());
        Assert.True(report.DependencyCount >= 5, report.ToString());
    }

    [Fact]
    public void Check_DuplicateIds_ThrowsArgumentException()
    {
        RecordedTransaction[] history =
        [
            new(1, TransactionOutcome.Committed, [A(1, 1)]),
            new(1, TransactionOutcome.Committed, [A(1, 2)]),
        ];

        var exception = Assert.Throws<ArgumentException>(() => SerializabilityChecker.Check(history));
        Assert.Equal("transactions", exception.ParamName);
    }

    [Fact]
    public void Check_Null_ThrowsArgumentNullException()
    {
        var exception = Assert.Throws<ArgumentNullException>(() => SerializabilityChecker.Check(null!));
        Assert.Equal("transactions", exception.ParamName);
    }

    [Fact]
    public void Check_LongSerialChain_IsSerializable()
    {
        // 5000 transactions, each reading the previous one's key and appending to its own: a
        // dependency chain 5000 deep exercises the iterative SCC search (no stack overflow).
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(A(1, 1));
        for (var i = 2; i <= 5000; i++)
        {
            recorder.RecordCommitted(R(i - 1, i - 1), A(i, i));
        }

        var report = Check(recorder);

        Assert.True(report.IsSerializable, report.ToString());
        Assert.Equal(4999, report.DependencyCount);
    }

    [Fact]
    public void Check_ManyReadsOfOneKey_IsSerializable()
    {
        // 300 transactions each reading the whole list of one key and extending it.
        var recorder = new HistoryRecorder();
        var list = new List<int>();
        for (var i = 1; i <= 300; i++)
        {
            recorder.RecordCommitted(R(1, [.. list]), A(1, i));
            list.Add(i);
        }

        var report = Check(recorder);

        Assert.True(report.IsSerializable, report.ToString());
        Assert.True(report.DependencyCount >= 598, report.ToString());
    }

    [Fact]
    public void Check_LongCycle_ReportsIt()
    {
        // T500 -wr-> T499 -wr-> ... -wr-> T1 (each reads the next one's append), closed by T1
        // reading key 500 before T500's append: one G-single cycle through 500 transactions.
        var recorder = new HistoryRecorder();
        recorder.RecordCommitted(R(2, 2), R(500), A(1, 1));
        for (var i = 2; i < 500; i++)
        {
            recorder.RecordCommitted(R(i + 1, i + 1), A(i, i));
        }

        recorder.RecordCommitted(A(500, 500));
        recorder.RecordCommitted(R(500, 500));

        var report = Check(recorder);

        var single = Assert.Single(report.Anomalies, a => a.Kind == AnomalyKind.GSingle);
        Assert.Equal(500, single.Cycle.Count);
    }
}
