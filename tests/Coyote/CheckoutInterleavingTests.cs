using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Coyote;

/// <summary>
/// Systematic interleaving tests of checkouts: Coyote explores many schedules of each
/// <see cref="CheckoutScenarios"/> program (with every <see cref="Volatile"/> access a scheduling
/// point, so a commit that takes no TVar lock can interleave with the validation step by step); every
/// schedule must pass its check, finish and throw nothing unexpected.
/// </summary>
public sealed class CheckoutInterleavingTests(ITestOutputHelper output)
{
    /// <summary>Schedules per scenario in CI; <c>STM_COYOTE_ITERATIONS</c> overrides it.</summary>
    private const uint Iterations = 100;

    [Fact]
    public void CheckoutCommit_RacesASoleCommitOfWhatItRead_CommitsWithoutLosingTheUpdateOrFailsWritingNothing()
    {
        CheckoutScenarios.ResetTally();
        ExplorationResult result = CoyoteExplorer.Explore(
            nameof(CheckoutScenarios.CommitValidationRacesSoleCommit),
            CheckoutScenarios.CommitValidationRacesSoleCommit,
            Iterations,
            volatileAccessesAreSchedulingPoints: true);
        output.WriteLine(result.ToString());
        output.WriteLine(result.Summary);
        output.WriteLine($"schedules where the checkout committed: {CheckoutScenarios.SchedulesCommitted}; where its commit failed: {CheckoutScenarios.SchedulesFailed}");
        Assert.False(result.FoundBug, result.ToString());
        Assert.True(result.MaxStepsHits * 10 <= result.Iterations, $"livelock suspected: {result}");

        // The race is only explored if both endings happen in some schedule.
        Assert.True(CheckoutScenarios.SchedulesCommitted > 0, $"no explored schedule let the checkout commit: {result}");
        Assert.True(CheckoutScenarios.SchedulesFailed > 0, $"no explored schedule made the checkout's commit fail: {result}");
    }
}
