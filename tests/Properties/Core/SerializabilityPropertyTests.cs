using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stm.Testing.History;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Issue 2, serializability of whole histories: generated list-append transactions on more threads
/// than cores, recorded (committed attempts from AfterCommit, aborted ones from AfterRollback, each
/// attempt appending fresh unique elements) and checked with the Elle-style checker, aborted
/// attempts included (opacity) and real-time order included (strict serializability): no
/// anomaly, no cycle.
/// </summary>
public sealed class SerializabilityPropertyTests
{
    [Property(MaxTest = 30, Arbitrary = [typeof(CoreArbitraries)])]
    public Property ListAppend_GeneratedConcurrentTransactions_HistoryIsSerializable(ListAppendProgram program) => RunAndCheck(program);

    /// <summary>Runs <paramref name="program"/> on its threads, records every attempt, and checks the history (aborted attempts and real time included).</summary>
    internal static Property RunAndCheck(ListAppendProgram program)
    {
        var registers = Enumerable.Range(0, program.Keys).Select(k => new TVar<ImmutableList<int>>([], $"key{k}")).ToArray();
        var recorder = new HistoryRecorder();
        var nextElement = 0;

        var failure = Workers.Run(program.Threads.Count, thread =>
        {
            foreach (var transaction in program.Threads[thread])
            {
                // Stamped before Run starts (a snapshot may be taken before the body runs).
                var invoked = HistoryRecorder.Now();
                Atomic.Run(() =>
                {
                    // A fresh log per attempt; the handlers see it as it is when the attempt ends.
                    var log = new TransactionLog(invoked);
                    Atomic.AfterCommit(() => recorder.Record(log, TransactionOutcome.Committed));
                    Atomic.AfterRollback(() => recorder.Record(log, TransactionOutcome.Aborted));
                    foreach (var step in transaction)
                    {
                        var register = registers[step.Key];
                        if (step.IsAppend)
                        {
#pragma warning disable STM0003 // a fresh element per attempt, as the list-append history needs
                            var element = Interlocked.Increment(ref nextElement);
#pragma warning restore STM0003
                            register.Write(register.Value.Add(element));
                            log.Append(step.Key, element);
                        }
                        else
                        {
                            log.Read(step.Key, register.Value);
                        }

                        step.Pause.Run();
                    }
                });
            }
        });

        // A final transaction that reads every key makes the whole version order known; with the
        // real-time order it must see every committed append (no lost write).
        var finalInvoked = HistoryRecorder.Now();
        Atomic.Run(() =>
        {
            var log = new TransactionLog(finalInvoked);
            for (var k = 0; k < registers.Length; k++)
            {
                log.Read(k, registers[k].Value);
            }

            Atomic.AfterCommit(() => recorder.Record(log, TransactionOutcome.Committed));
        });

        var history = recorder.Snapshot();
        var report = SerializabilityChecker.Check(history, checkAbortedReads: true, checkRealTime: true);
        var committed = history.Count(t => t.Outcome == TransactionOutcome.Committed);
        var expectedCommitted = program.Threads.Sum(t => t.Count) + 1;
        var ok = failure is null && report.IsSerializable && committed == expectedCommitted;
        return ok.Label(
            $"{failure}{Environment.NewLine}committed {committed} of {expectedCommitted}, aborted attempts {history.Count - committed}"
            + $"{Environment.NewLine}{report}");
    }
}
