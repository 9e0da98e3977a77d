using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stm.Testing.History;

namespace Stm.Tests.Properties.History;

/// <summary>
/// The checker itself: any history produced by running transactions one after another (recorded
/// in a shuffled order, with aborted attempts whose appends nobody saw) must be reported
/// serializable: no false positive. (Detection of each anomaly is covered by the hand-made
/// histories of tests/Unit/History.)
/// </summary>
public sealed class SerializabilityCheckerPropertyTests
{
    [Property(MaxTest = 100, Arbitrary = [typeof(HistoryArbitraries)])]
    public Property Check_SerialExecutionInAnyRecordingOrder_IsSerializable(SerialWorkload workload)
    {
        var (history, _) = Execute(workload.Transactions, workload.Seed);
        var report = SerializabilityChecker.Check(history, checkAbortedReads: true);
        return report.IsSerializable.Label(report.ToString() + Environment.NewLine + string.Join(Environment.NewLine, history));
    }

    /// <summary>Runs the transactions serially on a model; returns them recorded in a shuffled order, plus the final lists.</summary>
    private static (RecordedTransaction[] History, SortedDictionary<int, ImmutableList<int>> Final) Execute(CheckerStep[][] transactions, int seed)
    {
        var random = new Random(seed);
        var state = new SortedDictionary<int, ImmutableList<int>>();
        var recorded = new List<(TransactionOutcome Outcome, MicroOperation[] Operations)>();
        var next = 0;
        foreach (var transaction in transactions)
        {
            // Now and then an aborted attempt first: it appends elements that no one may see.
            if (random.Next(4) == 0)
            {
                recorded.Add((TransactionOutcome.Aborted, [MicroOperation.Append(transaction[0].Key, ++next)]));
            }

            var operations = new List<MicroOperation>();
            foreach (var (isAppend, key) in transaction)
            {
                var list = state.GetValueOrDefault(key) ?? [];
                if (isAppend)
                {
                    state[key] = list.Add(++next);
                    operations.Add(MicroOperation.Append(key, next));
                }
                else
                {
                    operations.Add(MicroOperation.Read(key, list));
                }
            }

            recorded.Add((TransactionOutcome.Committed, [.. operations]));
        }

        var order = recorded.OrderBy(_ => random.Next()).ToArray();
        var history = order.Select((r, i) => new RecordedTransaction(i + 1, r.Outcome, r.Operations)).ToArray();
        return (history, state);
    }
}
