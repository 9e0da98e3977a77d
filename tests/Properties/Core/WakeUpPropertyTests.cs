using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// No lost wake-up: generated waiters (synchronous or <c>RunAsync</c>, reading their gates directly,
/// in a nested run or across <c>OrElse</c> branches) each read the gates, then, still inside their
/// first attempt, wait until another thread has committed the gate write they wait for, and only
/// then retry. The window in which a waiter has read a TVar but not yet registered on its wait list
/// is forced open for every waiter; registering and then re-checking the reads must notice the
/// commit, so every waiter finishes within <see cref="Workers.Timeout"/>.
/// </summary>
public sealed class WakeUpPropertyTests
{
    [Property(MaxTest = 25, Arbitrary = [typeof(CoreArbitraries)])]
    public Property Retry_GeneratedWaitersWithACommitForcedBeforeTheirRetry_AllWake(WakeUpScenario scenario)
    {
        var gates = Enumerable.Range(0, scenario.Gates).Select(g => new TVar<int>(0, $"gate{g}")).ToArray();
        var stop = new TVar<bool>(false, "stop");
        using var allRead = new CountdownEvent(scenario.Waiters.Count);
        using var committed = new ManualResetEventSlim();
        var outcomes = new string?[scenario.Waiters.Count];
        var threads = scenario.Waiters.Select((waiter, index) => new Thread(() =>
        {
            try
            {
                outcomes[index] = Wait(waiter, gates, stop, allRead, committed);
            }
            catch (Exception exception)
            {
                outcomes[index] = $"threw {exception.GetType().Name}: {exception.Message}";
            }
        })
        {
            IsBackground = true,
            Name = $"wake-up waiter {index}",
        }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        var failure = allRead.Wait(Workers.Timeout) ? null : "the waiters did not all read the gates";
        gates[scenario.WrittenGate].Write(1);
        committed.Set();

        var deadline = DateTime.UtcNow + Workers.Timeout;
        var lost = threads.Where(t => !t.Join(Max(deadline - DateTime.UtcNow, TimeSpan.Zero))).Count();
        if (lost != 0)
        {
            // Let the lost waiters leave through the other TVar they read, then report them.
            stop.Write(true);
            foreach (var thread in threads)
            {
                thread.Join(Workers.Timeout);
            }

            failure = $"{lost} waiter(s) still parked {Workers.Timeout.TotalSeconds} s after the commit they waited for (lost wake-up)";
        }

        var wrong = outcomes.Where(o => o != "took").ToArray();
        return (failure is null && wrong.Length == 0).Label($"{scenario}: {failure} outcomes [{string.Join(", ", outcomes)}]");
    }

    /// <summary>Runs one waiter; returns "took" when it committed after seeing the gate set.</summary>
    private static string Wait(WakeUpWaiter waiter, TVar<int>[] gates, TVar<bool> stop, CountdownEvent allRead, ManualResetEventSlim committed)
    {
        var firstAttempt = true;
        Func<string> body = () =>
        {
            if (stop.Value)
            {
                return "stopped";
            }

            var sum = Read(waiter.Shape, gates);
            if (firstAttempt)
            {
                // Every read done, no Retry yet: hold the attempt here until the gate is committed.
                firstAttempt = false;
                allRead.Signal();
                committed.Wait(Workers.Timeout);
            }

            Atomic.Check(sum > 0);
            return "took";
        };

        if (!waiter.Async)
        {
            return Atomic.Run(body);
        }

        // The first attempt runs on this thread inside RunAsync; the wait after it holds no thread.
        var pending = Atomic.RunAsync(body).AsTask();
        return pending.Wait(Workers.Timeout + Workers.Timeout) ? pending.Result : "still waiting";
    }

    private static int Read(WaitShape shape, TVar<int>[] gates)
    {
        switch (shape)
        {
            case WaitShape.NestedRun:
                return Atomic.Run(() => gates.Sum(g => g.Value));
            case WaitShape.OrElse:
                var half = (gates.Length + 1) / 2;
                return Atomic.OrElse(
                    () =>
                    {
                        var first = gates.Take(half).Sum(g => g.Value);
                        Atomic.Check(first > 0);
                        return first;
                    },
                    () => gates.Skip(half).Sum(g => g.Value));
            default:
                return gates.Sum(g => g.Value);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
