using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Wake order: waiters on a TVar are signalled in the order they first parked, and one that is woken
/// without being satisfied parks again in its old place, ahead of later ones. Generated sequences of
/// parks, wake-ups and releases run step by step (each step waits until every waiter has parked
/// again), and after each step the gate's wait list, which a commit signals from its head, must hold
/// the parked waiters' tickets in first-park order. The list is what is checked because a commit
/// signals every waiter in it: which woken waiter then commits first is the OS scheduler's choice.
/// </summary>
public sealed class WaitOrderPropertyTests
{
    [Property(MaxTest = 20, Arbitrary = [typeof(CoreArbitraries)])]
    public Property WaitList_GeneratedParksWakeUpsAndReleases_StaysInFirstParkOrder(WaitOrderPlan plan)
    {
        var gate = new TVar<int>(0, "gate");
        var waiters = new List<ParkedWaiter>();
        string? failure = null;
        try
        {
            foreach (var step in plan.Steps)
            {
                var live = waiters.Where(w => !w.Released).ToList();
                switch (step.Kind)
                {
                    case WaitOrderStepKind.Park:
                        var waiter = new ParkedWaiter(gate, waiters.Count);
                        waiters.Add(waiter);
                        live.Add(waiter);
                        failure = AwaitParked(gate, live, $"waiter {waiter.Index} to park");
                        waiter.Ticket = failure is null ? gate.WaitList!.Tickets.Max() : 0;
                        break;
                    case WaitOrderStepKind.WakeAll:
                        var runsBefore = live.Select(w => w.Runs).ToArray();
                        gate.Modify(g => g + 1);
                        failure = AwaitParked(gate, live, "every waiter to re-run and park again", () => live.Select((w, i) => w.Runs > runsBefore[i]).All(b => b));
                        break;
                    default:
                        if (live.Count == 0)
                        {
                            continue;
                        }

                        var released = live[step.Waiter % live.Count];
                        released.Flag.Write(true);
                        released.Released = true;
                        live.Remove(released);
                        failure = released.Thread.Join(Workers.Timeout) ? AwaitParked(gate, live, "the others to stay parked") : $"released waiter {released.Index} did not finish";
                        break;
                }

                if (failure is not null)
                {
                    break;
                }

                var expected = live.Select(w => w.Ticket).ToArray();
                var actual = gate.WaitList?.Tickets ?? [];
                if (!actual.SequenceEqual(expected))
                {
                    failure = $"after {step}: wait list [{string.Join(", ", actual)}], first-park order [{string.Join(", ", expected)}]";
                    break;
                }
            }
        }
        finally
        {
            foreach (var waiter in waiters.Where(w => !w.Released))
            {
                waiter.Flag.Write(true);
                waiter.Thread.Join(Workers.Timeout);
            }
        }

        return (failure is null).Label($"plan {plan}: {failure}");
    }

    /// <summary>Waits until exactly the live waiters are parked (and <paramref name="also"/> holds); returns null, or what did not happen.</summary>
    private static string? AwaitParked(TVar<int> gate, List<ParkedWaiter> live, string what, Func<bool>? also = null)
    {
        var clock = Stopwatch.StartNew();
        while (!(live.All(w => w.IsParked) && (gate.WaitList?.Count ?? 0) == live.Count && (also?.Invoke() ?? true)))
        {
            if (clock.Elapsed > Workers.Timeout)
            {
                return $"timed out waiting for {what}";
            }

            Thread.Sleep(1);
        }

        return null;
    }

    /// <summary>A thread whose transaction reads the gate and waits for its own flag.</summary>
    private sealed class ParkedWaiter
    {
        private int _runs;

        public ParkedWaiter(TVar<int> gate, int index)
        {
            Index = index;
            Flag = new TVar<bool>(false, $"flag{index}");
            Thread = new Thread(() => Atomic.Run(() =>
            {
#pragma warning disable STM0003 // counts the runs of the body on purpose: a re-run is what a wake-up step waits for
                Interlocked.Increment(ref _runs);
#pragma warning restore STM0003
                _ = gate.Value;
                Atomic.Check(Flag.Value);
            }))
            {
                IsBackground = true,
                Name = $"wait-order waiter {index}",
            };
            Thread.Start();
        }

        public int Index { get; }

        public TVar<bool> Flag { get; }

        public Thread Thread { get; }

        public long Ticket { get; set; }

        public bool Released { get; set; }

        public int Runs => Volatile.Read(ref _runs);

        public bool IsParked => (Thread.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0;
    }
}
