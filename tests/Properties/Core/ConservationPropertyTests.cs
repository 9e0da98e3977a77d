using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Issue 2, conservation and opacity: generated transfer programs on more threads than cores,
/// with generated pauses inside the bodies. Every attempt (including those that later abort)
/// must see the invariant, and the final balances must be exact.
/// </summary>
public sealed class ConservationPropertyTests
{
    [Property(MaxTest = 30, Arbitrary = [typeof(CoreArbitraries)])]
    public Property Transfers_GeneratedConcurrentPrograms_EveryAttemptSeesTotalAndFinalBalancesExact(BankProgram program)
    {
        var accounts = program.Balances.Select((b, i) => new TVar<int>(b, $"account{i}")).ToArray();
        var total = program.Balances.Sum();
        var violations = new ConcurrentQueue<string>();
        var attempts = 0L;

        var failure = Workers.Run(program.Threads.Count, thread =>
        {
            foreach (var operation in program.Threads[thread])
            {
                Atomic.Run(() =>
                {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
                    Interlocked.Increment(ref attempts);
#pragma warning restore STM0003
                    if (operation.Audit || operation.ReadOnly)
                    {
                        var seen = new int[accounts.Length];
                        for (var i = 0; i < accounts.Length; i++)
                        {
                            seen[i] = accounts[i].Value;
                            operation.Pause.Run();
                        }

                        if (seen.Sum() != total)
                        {
                            // Recorded, not thrown: an exception would end the transaction and hide later attempts.
                            violations.Enqueue($"thread {thread} {operation}: an attempt saw [{string.Join(", ", seen)}], total {seen.Sum()} != {total}");
                        }
                    }

                    if (operation.ReadOnly)
                    {
                        return;
                    }

                    var from = accounts[operation.From].Value;
                    operation.Pause.Run();
                    accounts[operation.From].Write(from - operation.Amount);
                    var to = accounts[operation.To].Value;
                    operation.Pause.Run();
                    accounts[operation.To].Write(to + operation.Amount);
                });
            }
        });

        // Transfers commute, so the final balances do not depend on the order they committed in.
        var expected = program.Balances.ToArray();
        foreach (var operation in program.Threads.SelectMany(t => t).Where(o => !o.ReadOnly))
        {
            expected[operation.From] -= operation.Amount;
            expected[operation.To] += operation.Amount;
        }

        var final = accounts.Select(a => a.Value).ToArray();
        var ok = failure is null && violations.IsEmpty && final.SequenceEqual(expected);
        return ok.Label(
            $"{failure}{Environment.NewLine}violations ({violations.Count}): {string.Join(Environment.NewLine, violations.Take(5))}"
            + $"{Environment.NewLine}final [{string.Join(", ", final)}], expected [{string.Join(", ", expected)}], attempts {attempts}");
    }
}
