using System.Reflection;
using Stm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Coyote;

/// <summary>
/// Shows that the explorer finds real bugs: each test plants a bug in the engine
/// (<see cref="PlantedBugs"/>), explores one of the scenarios that the interleaving tests check, and
/// asserts that Coyote reports the bug within the CI iteration budget; the bug is removed afterwards.
/// </summary>
/// <remarks>
/// Not here: the two retention bugs (<see cref="PlantedBug.KeepEveryVersion"/>,
/// <see cref="PlantedBug.TrimVersionsInUse"/>). They change only which old versions stay linked; a
/// scenario small enough to explore has no snapshot old enough for that to matter (docs/testing.md).
/// The two contention bugs are explored with the contention clock driven (<see cref="DrivenContentionClock"/>).
/// </remarks>
[Collection(PlantedBugCollection.Name)]
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    /// <summary>Schedules allowed to find a planted bug; <c>STM_COYOTE_ITERATIONS</c> overrides it.</summary>
    private const uint Iterations = 200;

    /// <summary>The bugs Coyote cannot be shown to find, and why (see the remarks).</summary>
    private static readonly PlantedBug[] NotExplorable = [PlantedBug.KeepEveryVersion, PlantedBug.TrimVersionsInUse];

    [Fact]
    public void PlantedBugs_EveryOneExplorable_IsFoundByAScenarioHere()
    {
        var names = typeof(PlantedBugTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => m.Name)
            .ToArray();

        Assert.All(PlantedBugs.All.Except(NotExplorable), bug => Assert.Contains(names, name => name.StartsWith(bug + "_", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReadPastSnapshot_TornSnapshot_ExplorerFindsATornAttempt()
    {
        ExplorationResult result = ExploreWith(PlantedBug.ReadPastSnapshot, nameof(EngineScenarios.TornSnapshot), EngineScenarios.TornSnapshot, volatileAccessesAreSchedulingPoints: true);
        Assert.Contains(result.Bugs, bug => bug.Contains("torn snapshot", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipCommitValidation_ConcurrentIncrements_ExplorerFindsLostUpdate()
    {
        ExplorationResult result = ExploreWith(PlantedBug.SkipCommitValidation, nameof(EngineScenarios.ConcurrentIncrements), EngineScenarios.ConcurrentIncrements);
        Assert.Contains(result.Bugs, bug => bug.Contains("lost update", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipCommitValidation_WriteSkew_ExplorerFindsBrokenInvariant()
    {
        ExplorationResult result = ExploreWith(PlantedBug.SkipCommitValidation, nameof(EngineScenarios.WriteSkew), EngineScenarios.WriteSkew);
        Assert.Contains(result.Bugs, bug => bug.Contains("write skew", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipCommitValidation_ListAppend_HistoryCheckerReportsIt()
    {
        ExplorationResult result = ExploreWith(PlantedBug.SkipCommitValidation, nameof(EngineScenarios.ListAppendHistory), EngineScenarios.ListAppendHistory);
        Assert.Contains(result.Bugs, bug => bug.Contains("not serializable", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipCommitValidation_CheckoutCommitRacesSoleCommit_ExplorerFindsLostUpdate()
    {
        ExplorationResult result = ExploreWith(PlantedBug.SkipCommitValidation, nameof(CheckoutScenarios.CommitValidationRacesSoleCommit), CheckoutScenarios.CommitValidationRacesSoleCommit);
        Assert.Contains(result.Bugs, bug => bug.Contains("lost update", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipRetryRevalidation_ConsumerWaitsForProducer_ExplorerFindsLostWakeUp()
    {
        ExplorationResult result = ExploreWith(PlantedBug.SkipRetryRevalidation, nameof(WaitingScenarios.ConsumerWaitsForProducer), WaitingScenarios.ConsumerWaitsForProducer);
        Assert.Contains(result.Bugs, bug => bug.Contains("eadlock", StringComparison.Ordinal));
    }

    [Fact]
    public void WakeNewestFirst_WaitListStaysInTicketOrder_ExplorerFindsTheWrongOrder()
    {
        ExplorationResult result = ExploreWith(PlantedBug.WakeNewestFirst, nameof(WaitingScenarios.WaitListStaysInTicketOrder), WaitingScenarios.WaitListStaysInTicketOrder);
        Assert.Contains(result.Bugs, bug => bug.Contains("wake order", StringComparison.Ordinal));
    }

    [Fact]
    public void NeverTakePriority_PriorityHandOff_ExplorerFindsTheRunWithoutPriority()
    {
        ExplorationResult result;
        using (DrivenContentionClock.Start())
        {
            result = ExploreWith(PlantedBug.NeverTakePriority, nameof(ContentionScenarios.PriorityHandOff), ContentionScenarios.PriorityHandOff);
        }

        Assert.Contains(result.Bugs, bug => bug.Contains("did not hold priority", StringComparison.Ordinal));
    }

    [Fact]
    public void PriorityHoldsBackEveryone_PriorityHandOff_ExplorerFindsTheUnrelatedWriterHeldBack()
    {
        ExplorationResult result;
        using (DrivenContentionClock.Start())
        {
            result = ExploreWith(PlantedBug.PriorityHoldsBackEveryone, nameof(ContentionScenarios.PriorityHandOff), ContentionScenarios.PriorityHandOff);
        }

        Assert.Contains(result.Bugs, bug => bug.Contains("held back a writer of an unrelated TVar", StringComparison.Ordinal));
    }

    [Fact]
    public void WakeNewestFirst_OlderWaiterTakesTheItem_ExplorerFindsTheYoungerServedFirst()
    {
        ExplorationResult result = ExploreWith(PlantedBug.WakeNewestFirst, nameof(WaitingScenarios.OlderWaiterTakesTheItem), WaitingScenarios.OlderWaiterTakesTheItem);
        Assert.Contains(result.Bugs, bug => bug.Contains("wake order", StringComparison.Ordinal));
    }

    [Fact]
    public void CommuteOnSnapshotValue_CommutingCounters_ExplorerFindsLostCommute()
    {
        ExplorationResult result = ExploreWith(PlantedBug.CommuteOnSnapshotValue, nameof(EngineScenarios.CommutingCounters), EngineScenarios.CommutingCounters);
        Assert.Contains(result.Bugs, bug => bug.Contains("commutes lost", StringComparison.Ordinal));
    }

    [Fact]
    public void NestedThrowKeepsWrites_NestedRollbackUnderContention_ExplorerFindsTheLeakedWrite()
    {
        ExplorationResult result = ExploreWith(PlantedBug.NestedThrowKeepsWrites, nameof(EngineScenarios.NestedRollbackUnderContention), EngineScenarios.NestedRollbackUnderContention);
        Assert.Contains(result.Bugs, bug => bug.Contains("nested rollback leaked", StringComparison.Ordinal));
    }

    [Fact]
    public void CompleteWakesNoWaiter_ConsumerWaitsThenQueueCompletes_ExplorerFindsTheConsumerLeftWaiting()
    {
        ExplorationResult result = ExploreWith(PlantedBug.CompleteWakesNoWaiter, nameof(CompletionScenarios.ConsumerWaitsThenQueueCompletes), CompletionScenarios.ConsumerWaitsThenQueueCompletes);

        // The flag read outside the consumer's transaction shows either symptom, whichever schedule
        // Coyote meets first: the consumer is never woken by Complete (a deadlock), or it sees the
        // queue completed past its own snapshot, where the item is not yet there, and ends without it.
        Assert.Contains(result.Bugs, bug => bug.Contains("eadlock", StringComparison.Ordinal) || bug.Contains("consumer took []", StringComparison.Ordinal));
    }

    [Fact]
    public void NoPlantedBug_ConsumerWaitsForProducer_ExplorerFindsNothing()
    {
        ExplorationResult result = CoyoteExplorer.Explore("control-" + nameof(WaitingScenarios.ConsumerWaitsForProducer), WaitingScenarios.ConsumerWaitsForProducer, Iterations);
        output.WriteLine(result.ToString());
        Assert.False(result.FoundBug, $"the control run (no planted bug) failed: {result}");
    }

    private ExplorationResult ExploreWith(PlantedBug bug, string name, Action scenario, bool volatileAccessesAreSchedulingPoints = false)
    {
        ExplorationResult result;
        using (PlantedBugs.Plant(bug))
        {
            result = CoyoteExplorer.Explore("planted-" + name, scenario, Iterations, volatileAccessesAreSchedulingPoints: volatileAccessesAreSchedulingPoints);
        }

        output.WriteLine(result.ToString());
        result.AssertFullyControlled();
        Assert.True(result.FoundBug, $"the explorer missed the planted {bug}: {result}");
        return result;
    }
}
