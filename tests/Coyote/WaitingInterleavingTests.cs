using Stm.Internal;
using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Coyote;

/// <summary>
/// Systematic interleaving tests of the paths that park a thread in <c>Retry</c> (synchronous
/// <see cref="Atomic.Run(Action)"/> only): Coyote explores many schedules of each
/// <see cref="WaitingScenarios"/> program; a lost wake-up shows up as a deadlock (a task parked in
/// <see cref="Monitor.Wait(object)"/> that nobody pulses).
/// </summary>
public sealed class WaitingInterleavingTests(ITestOutputHelper output)
{
    /// <summary>Schedules per scenario in CI; <c>STM_COYOTE_ITERATIONS</c> overrides it.</summary>
    private const uint Iterations = 100;

    [Fact]
    public void Retry_ConsumerWaitsForProducer_NoLostWakeUp() => AssertNoBug(nameof(WaitingScenarios.ConsumerWaitsForProducer), WaitingScenarios.ConsumerWaitsForProducer);

    [Fact]
    public void Retry_TwoConsumersOneProducer_AllComplete() => AssertNoBug(nameof(WaitingScenarios.TwoConsumersOneProducer), WaitingScenarios.TwoConsumersOneProducer);

    [Fact]
    public void OrElse_BothBranchesRetry_WokenBySecondBranchWrite() => AssertNoBug(nameof(WaitingScenarios.OrElseWaitsOnBothBranches), WaitingScenarios.OrElseWaitsOnBothBranches);

    [Fact]
    public void Retry_WaitersParkedAndReparked_WaitListStaysInTicketOrder() => AssertNoBug(nameof(WaitingScenarios.WaitListStaysInTicketOrder), WaitingScenarios.WaitListStaysInTicketOrder);

    [Fact]
    public void Retry_TwoConsumersParkedInOrder_OlderTakesTheFirstItem()
    {
        long waitsBefore = WakeTurn.TurnWaits;
        long parksBefore = WakeTurn.TurnParks;
        AssertNoBug(nameof(WaitingScenarios.OlderWaiterTakesTheItem), WaitingScenarios.OlderWaiterTakesTheItem);
        output.WriteLine($"turn waits: {WakeTurn.TurnWaits - waitsBefore}, parked: {WakeTurn.TurnParks - parksBefore}");

        // The younger consumer must have met the older one ahead of it, parked, and been woken.
        Assert.True(WakeTurn.TurnParks > parksBefore, "no explored schedule parked a woken consumer for its turn");
    }

    [Fact]
    public void Run_CancellationRacesWakeUp_CommittedXorCancelled()
    {
        AssertNoBug(nameof(WaitingScenarios.CancellationRacesWakeUp), WaitingScenarios.CancellationRacesWakeUp);

        // The race is only explored if both endings happen in some schedule.
        Assert.True(WaitingScenarios.SchedulesCommitted > 0, "no explored schedule let the wake-up win");
        Assert.True(WaitingScenarios.SchedulesCancelled > 0, "no explored schedule let the cancellation win");
    }

    private void AssertNoBug(string name, Action scenario)
    {
        WaitingScenarios.ResetTally();
        ExplorationResult result = CoyoteExplorer.Explore(name, scenario, Iterations);
        output.WriteLine(result.ToString());
        output.WriteLine(result.Summary);
        output.WriteLine($"schedules that parked in Retry: {WaitingScenarios.SchedulesThatWaited}; committed: {WaitingScenarios.SchedulesCommitted}; cancelled: {WaitingScenarios.SchedulesCancelled}");
        Assert.False(result.FoundBug, result.ToString());
        result.AssertFullyControlled();
        Assert.True(result.MaxStepsHits * 10 <= result.Iterations, $"livelock suspected: {result}");

        // A scenario whose transactions never actually parked would check nothing about wake-ups.
        Assert.True(WaitingScenarios.SchedulesThatWaited > 0, $"no explored schedule parked in Retry: {result}");
    }
}
