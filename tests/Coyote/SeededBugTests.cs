using Stm.Internal;
using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Coyote;

/// <summary>
/// Shows that the explorer finds real bugs: each test switches on a known bug seeded in the engine
/// (<see cref="TestHooks"/>) and asserts that Coyote reports it within the CI iteration budget, then
/// switches it off again.
/// </summary>
[Collection(SeededBugCollection.Name)]
public sealed class SeededBugTests(ITestOutputHelper output)
{
    /// <summary>Schedules allowed to find a seeded bug; <c>STM_COYOTE_ITERATIONS</c> overrides it.</summary>
    private const uint Iterations = 200;

    [Fact]
    public void SkipCommitValidation_ConcurrentIncrements_ExplorerFindsLostUpdate()
    {
        ExplorationResult result = ExploreWith(
            () => TestHooks.SkipCommitValidation = true,
            () => TestHooks.SkipCommitValidation = false,
            nameof(EngineScenarios.ConcurrentIncrements),
            EngineScenarios.ConcurrentIncrements);
        Assert.True(result.FoundBug, $"the explorer missed the seeded lost update: {result}");
        Assert.Contains(result.Bugs, bug => bug.Contains("lost update", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipCommitValidation_WriteSkew_ExplorerFindsBrokenInvariant()
    {
        ExplorationResult result = ExploreWith(
            () => TestHooks.SkipCommitValidation = true,
            () => TestHooks.SkipCommitValidation = false,
            nameof(EngineScenarios.WriteSkew),
            EngineScenarios.WriteSkew);
        Assert.True(result.FoundBug, $"the explorer missed the seeded write skew: {result}");
        Assert.Contains(result.Bugs, bug => bug.Contains("write skew", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipCommitValidation_ListAppend_HistoryCheckerReportsIt()
    {
        ExplorationResult result = ExploreWith(
            () => TestHooks.SkipCommitValidation = true,
            () => TestHooks.SkipCommitValidation = false,
            nameof(EngineScenarios.ListAppendHistory),
            EngineScenarios.ListAppendHistory);
        Assert.True(result.FoundBug, $"the explorer and the history checker missed the seeded bug: {result}");
        Assert.Contains(result.Bugs, bug => bug.Contains("not serializable", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipCommitValidation_CheckoutCommitRacesSoleCommit_ExplorerFindsLostUpdate()
    {
        ExplorationResult result = ExploreWith(
            () => TestHooks.SkipCommitValidation = true,
            () => TestHooks.SkipCommitValidation = false,
            nameof(CheckoutScenarios.CommitValidationRacesSoleCommit),
            CheckoutScenarios.CommitValidationRacesSoleCommit);
        Assert.True(result.FoundBug, $"the explorer missed the seeded lost update of a checkout: {result}");
        Assert.Contains(result.Bugs, bug => bug.Contains("lost update", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipRetryRevalidation_ConsumerWaitsForProducer_ExplorerFindsLostWakeUp()
    {
        ExplorationResult result = ExploreWith(
            () => TestHooks.SkipRetryRevalidation = true,
            () => TestHooks.SkipRetryRevalidation = false,
            nameof(WaitingScenarios.ConsumerWaitsForProducer),
            WaitingScenarios.ConsumerWaitsForProducer);
        Assert.True(result.FoundBug, $"the explorer missed the seeded lost wake-up: {result}");
        Assert.Contains(result.Bugs, bug => bug.Contains("eadlock", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipRetryRevalidationOff_ConsumerWaitsForProducer_ExplorerFindsNothing()
    {
        ExplorationResult result = ExploreWith(
            () => TestHooks.SkipRetryRevalidation = false,
            () => TestHooks.SkipRetryRevalidation = false,
            nameof(WaitingScenarios.ConsumerWaitsForProducer),
            WaitingScenarios.ConsumerWaitsForProducer);
        Assert.False(result.FoundBug, $"the control run (no seeded bug) failed: {result}");
    }

    private ExplorationResult ExploreWith(Action seed, Action restore, string name, Action scenario)
    {
        seed();
        try
        {
            ExplorationResult result = CoyoteExplorer.Explore("seeded-" + name, scenario, Iterations);
            output.WriteLine(result.ToString());
            result.AssertFullyControlled();
            return result;
        }
        finally
        {
            restore();
        }
    }
}
