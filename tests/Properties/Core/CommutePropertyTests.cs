using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Commute: generated increments of a few shared counters on more threads than cores, by commutes
/// (inside a transaction with a pause after them, read back in the same transaction, or outside any
/// transaction) mixed with plain read-modify-writes. A commute applies to the newest committed value
/// at commit, so every increment counts: each counter ends at the sum of its increments, and a
/// commute read back in its transaction shows at least its own increment.
/// </summary>
public sealed class CommutePropertyTests
{
    [Property(MaxTest = 30, Arbitrary = [typeof(CoreArbitraries)])]
    public Property Commute_GeneratedConcurrentIncrements_EveryIncrementCounts(CommuteProgram program)
    {
        var counters = Enumerable.Range(0, program.Counters).Select(i => new TVar<long>(0, $"counter{i}")).ToArray();
        var violations = new ConcurrentQueue<string>();

        var failure = Workers.Run(program.Threads.Count, thread =>
        {
            foreach (var operation in program.Threads[thread])
            {
                var counter = counters[operation.Counter];
                long delta = operation.Delta;
                switch (operation.Kind)
                {
                    case CommuteOperationKind.CommuteOutside:
                        counter.Commute(x => x + delta);
                        break;
                    case CommuteOperationKind.Add:
                        Atomic.Run(() =>
                        {
                            var value = counter.Value;
                            operation.Pause.Run();
                            counter.Value = value + delta;
                        });
                        break;
                    default:
                        Atomic.Run(() =>
                        {
                            counter.Commute(x => x + delta);
                            operation.Pause.Run();
                            if (operation.Kind == CommuteOperationKind.CommuteThenRead && counter.Value < delta)
                            {
                                // Recorded, not thrown: a throw would end the transaction and hide later attempts.
                                violations.Enqueue($"thread {thread} {operation}: read back {counter.Value}, below its own increment");
                            }
                        });
                        break;
                }
            }
        });

        var expected = new long[program.Counters];
        foreach (var operation in program.Threads.SelectMany(t => t))
        {
            expected[operation.Counter] += operation.Delta;
        }

        var final = counters.Select(c => c.Value).ToArray();
        var ok = failure is null && violations.IsEmpty && final.SequenceEqual(expected);
        return ok.Label(
            $"{failure}{Environment.NewLine}final [{string.Join(", ", final)}], expected [{string.Join(", ", expected)}]"
            + $"{Environment.NewLine}{string.Join(Environment.NewLine, violations.Take(5))}");
    }
}
