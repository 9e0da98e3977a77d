using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Coyote;

/// <summary>
/// Systematic interleaving tests of queue completion against waiting consumers and producers:
/// Coyote explores many schedules of each <see cref="CompletionScenarios"/> program; a waiter that the
/// completion's commit fails to wake shows up as a deadlock.
/// </summary>
public sealed class CompletionInterleavingTests(ITestOutputHelper output)
{
    /// <summary>Schedules per scenario in CI; <c>STM_COYOTE_ITERATIONS</c> overrides it.</summary>
    private const uint Iterations = 100;

    [Fact]
    public void Complete_ConsumerWaiting_GetsTheItemThenChannelClosed() =>
        AssertNoBug(nameof(CompletionScenarios.ConsumerWaitsThenQueueCompletes), CompletionScenarios.ConsumerWaitsThenQueueCompletes);

    [Fact]
    public void Complete_ReaderWaitingOutsideATransaction_GetsTheItemThenChannelClosed() =>
        AssertNoBug(nameof(CompletionScenarios.ReaderWaitsThenChannelCompletes), CompletionScenarios.ReaderWaitsThenChannelCompletes);

    [Fact]
    public void Complete_RacingAnEnqueueWithTwoConsumersWaiting_DeliversExactlyTheAcceptedItem()
    {
        AssertNoBug(nameof(CompletionScenarios.CompletionRacesEnqueue), CompletionScenarios.CompletionRacesEnqueue);
        Assert.True(CompletionScenarios.SchedulesRefused > 0, "no explored schedule let the completion beat the enqueue");
    }

    [Fact]
    public void Complete_RacingCancellationOfAWaitingConsumer_EndsItCancelledXorClosed()
    {
        AssertNoBug(nameof(CompletionScenarios.CancellationRacesCompletion), CompletionScenarios.CancellationRacesCompletion);
        Assert.True(CompletionScenarios.SchedulesCancelled > 0, "no explored schedule let the cancellation win");
        Assert.True(CompletionScenarios.SchedulesClosed > 0, "no explored schedule let the completion win");
    }

    [Fact]
    public void Complete_BoundedProducerWaitingForRoom_EndsAndOnlyAcceptedItemsAreDelivered() =>
        AssertNoBug(nameof(CompletionScenarios.BoundedProducerWaitsThenQueueCompletes), CompletionScenarios.BoundedProducerWaitsThenQueueCompletes);

    private void AssertNoBug(string name, Action scenario)
    {
        CompletionScenarios.ResetTally();
        ExplorationResult result = CoyoteExplorer.Explore(name, scenario, Iterations);
        output.WriteLine(result.ToString());
        output.WriteLine(result.Summary);
        output.WriteLine($"schedules that parked: {CompletionScenarios.SchedulesThatWaited}; cancelled: {CompletionScenarios.SchedulesCancelled}; closed: {CompletionScenarios.SchedulesClosed}; refused: {CompletionScenarios.SchedulesRefused}");
        Assert.False(result.FoundBug, result.ToString());
        Assert.True(result.MaxStepsHits * 10 <= result.Iterations, $"livelock suspected: {result}");

        // A scenario whose transactions never parked would check nothing about wake-ups.
        Assert.True(CompletionScenarios.SchedulesThatWaited > 0, $"no explored schedule parked in Retry: {result}");
    }
}
