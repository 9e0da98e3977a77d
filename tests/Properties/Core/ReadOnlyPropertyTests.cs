using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stm.Internal;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Issue 2, read-only transactions never abort: a read-only transaction over 100 TVars runs its
/// body exactly once while writers commit to TVars it has read and TVars it has still to read,
/// and it sees a consistent snapshot.
/// </summary>
public sealed class ReadOnlyPropertyTests
{
    private const int TVarCount = 100;
    private const int InitialValue = 10;

    [Property(MaxTest = 20, Arbitrary = [typeof(CoreArbitraries)])]
    public Property ReadOnlyTransaction_WritersCommitDuringItsReads_RunsBodyExactlyOnce(ReadOnlyScenario scenario)
    {
        var tvars = Enumerable.Range(0, TVarCount).Select(i => new TVar<int>(InitialValue, $"v{i}")).ToArray();
        var problems = new ConcurrentQueue<string>();
        var commits = 0L;
        var readersLeft = scenario.Readers;

        var failure = Workers.Run(scenario.Readers + scenario.Writers, worker =>
        {
            if (worker < scenario.Readers)
            {
                var invocations = 0;
                var attemptsBefore = TransactionStatistics.Attempts;
                var sum = Atomic.Run(() =>
                {
                    var invocation = ++invocations;
                    var total = 0;
                    for (var i = 0; i < TVarCount; i++)
                    {
                        if (i == scenario.PausePoint && invocation == 1)
                        {
                            // Let writers commit to TVars this snapshot has read and has yet to read.
                            var target = Interlocked.Read(ref commits) + scenario.CommitsToWaitFor;
                            if (!SpinWait.SpinUntil(() => Interlocked.Read(ref commits) >= target, Workers.Timeout))
                            {
                                problems.Enqueue($"reader {worker}: writers did not commit while it was reading");
                            }
                        }

                        total += tvars[i].Value;
                    }

                    return total;
                });
                var attempts = TransactionStatistics.Attempts - attemptsBefore;
                Interlocked.Decrement(ref readersLeft);
                if (invocations != 1 || attempts != 1)
                {
                    problems.Enqueue($"reader {worker}: body ran {invocations} times, {attempts} attempts; expected 1");
                }

                if (sum != TVarCount * InitialValue)
                {
                    problems.Enqueue($"reader {worker}: saw total {sum}, not {TVarCount * InitialValue} (inconsistent snapshot)");
                }

                return;
            }

            // Writers: move one unit from a TVar before the pause point to one after it (and back).
            var random = new Random(worker);
            while (Volatile.Read(ref readersLeft) > 0)
            {
                var before = random.Next(0, scenario.PausePoint);
                var after = random.Next(scenario.PausePoint, TVarCount);
                var direction = random.Next(2) == 0 ? 1 : -1;
                Atomic.Run(() =>
                {
                    tvars[before].Value -= direction;
                    scenario.WriterPause.Run();
                    tvars[after].Value += direction;
                });
                Interlocked.Increment(ref commits);
            }
        });

        var final = tvars.Sum(t => t.Value);
        var ok = failure is null && problems.IsEmpty && final == TVarCount * InitialValue;
        return ok.Label($"{failure}{Environment.NewLine}{string.Join(Environment.NewLine, problems)}{Environment.NewLine}final total {final}, writer commits {commits}");
    }
}
