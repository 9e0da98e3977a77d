using System.Collections.Immutable;
using Stm.Internal;
using Stm.Testing.History;
using Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Proof that the history harness catches a real engine bug: with commit validation switched off
/// (<see cref="TestHooks.SkipCommitValidation"/>), transactions that all read a key and then all
/// append to it (forced by a barrier inside the first attempt) commit a lost update, and the
/// recorded history is reported as one; with validation on, the same schedule is serializable.
/// </summary>
[Collection(nameof(SeededBugCollection))]
public sealed class SeededBugTests
{
    private const int Threads = 4;

    [Fact]
    public void SkipCommitValidation_AllReadThenAllAppend_CheckerReportsLostUpdate()
    {
        SerializabilityReport report;
        TestHooks.SkipCommitValidation = true;
        try
        {
            (report, _) = RunReadThenAppend();
        }
        finally
        {
            TestHooks.SkipCommitValidation = false;
        }

        Assert.True(report.Has(AnomalyKind.LostUpdate), report.ToString());
        Assert.True(report.Has(AnomalyKind.GSingle), report.ToString());
    }

    [Fact]
    public void CommitValidation_AllReadThenAllAppend_HistoryIsSerializable()
    {
        var (report, final) = RunReadThenAppend();

        Assert.True(report.IsSerializable, report.ToString());
        Assert.Equal(Threads, final.Count);
    }

    private static (SerializabilityReport Report, ImmutableList<int> Final) RunReadThenAppend()
    {
        var register = new TVar<ImmutableList<int>>([], "key0");
        var recorder = new HistoryRecorder();
        using var allHaveRead = new Barrier(Threads);
        var nextElement = 0;

        var failure = Workers.Run(Threads, worker =>
        {
            var attempt = 0;
            Atomic.Run(() =>
            {
                var log = new TransactionLog();
                Atomic.AfterCommit(() => recorder.Record(log, TransactionOutcome.Committed));
                Atomic.AfterRollback(() => recorder.Record(log, TransactionOutcome.Aborted));
                var list = register.Value;
                log.Read(0, list);
                if (++attempt == 1 && !allHaveRead.SignalAndWait(Workers.Timeout))
                {
                    throw new TimeoutException("the other workers never read the key");
                }

#pragma warning disable STM0003 // a fresh element per attempt, as the list-append history needs
                var element = Interlocked.Increment(ref nextElement);
#pragma warning restore STM0003
                register.Write(list.Add(element));
                log.Append(0, element);
            });
        });
        Assert.Null(failure);

        Atomic.Run(() =>
        {
            var log = new TransactionLog();
            log.Read(0, register.Value);
            Atomic.AfterCommit(() => recorder.Record(log, TransactionOutcome.Committed));
        });

        return (SerializabilityChecker.Check(recorder.Snapshot(), checkAbortedReads: true), register.Value);
    }
}
