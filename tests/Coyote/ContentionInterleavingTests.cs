using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Coyote;

/// <summary>
/// Systematic interleaving tests of contention management: Coyote explores many schedules of the
/// <see cref="ContentionScenarios"/> programs, with the contention clock driven so that a grant's
/// end is a step of the schedule. Every schedule must pass its checks and finish (no deadlock).
/// </summary>
public sealed class ContentionInterleavingTests(ITestOutputHelper output)
{
    /// <summary>Schedules per scenario in CI; <c>STM_COYOTE_ITERATIONS</c> overrides it.</summary>
    private const uint Iterations = 100;

    [Fact]
    public void Priority_HandOff_HoldsBackOnlyTheHoldersWritersUntilItCommitsOrItsGrantEnds()
    {
        ContentionScenarios.ResetTally();
        ExplorationResult result;
        using (DrivenContentionClock.Start())
        {
            result = CoyoteExplorer.Explore(nameof(ContentionScenarios.PriorityHandOff), ContentionScenarios.PriorityHandOff, Iterations);
        }

        output.WriteLine(result.ToString());
        output.WriteLine(result.Summary);
        output.WriteLine(
            $"schedules where the holder's commit let the writer go: {ContentionScenarios.Schedules(HandOff.HolderCommits)}; the grant's end: {ContentionScenarios.Schedules(HandOff.GrantEnds)}; " +
            $"whichever came first: {ContentionScenarios.Schedules(HandOff.Race)} (the grant's end won {ContentionScenarios.RacesWonByGrantEnd})");
        Assert.False(result.FoundBug, result.ToString());
        result.AssertFullyControlled();
        Assert.True(result.MaxStepsHits * 10 <= result.Iterations, $"livelock suspected: {result}");

        // Every way a held-back writer is let go must have been explored.
        Assert.All(Enum.GetValues<HandOff>(), handOff => Assert.True(ContentionScenarios.Schedules(handOff) > 0, $"no explored schedule let the writer go by {handOff}: {result}"));
    }
}
