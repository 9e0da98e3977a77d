using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Coyote;

/// <summary>
/// Systematic interleaving tests of the engine's commit, validation, snapshot, nesting and OrElse
/// paths: Coyote explores many schedules of each <see cref="EngineScenarios"/> program and every
/// schedule must pass its check, finish (no deadlock) and throw nothing unexpected. The paths that
/// park a thread in Retry are in <see cref="WaitingInterleavingTests"/>; RunAsync is not explored
/// (see docs/testing.md).
/// </summary>
public sealed class EngineInterleavingTests(ITestOutputHelper output)
{
    /// <summary>Schedules per scenario in CI; <c>STM_COYOTE_ITERATIONS</c> overrides it.</summary>
    private const uint Iterations = 100;

    [Fact]
    public void ConcurrentIncrements_AnySchedule_NoLostUpdate() => AssertNoBug(nameof(EngineScenarios.ConcurrentIncrements), EngineScenarios.ConcurrentIncrements);

    [Fact]
    public void ConcurrentTransfers_AnySchedule_BothTransfersLand() => AssertNoBug(nameof(EngineScenarios.ConcurrentTransfers), EngineScenarios.ConcurrentTransfers);

    [Fact]
    public void WriteSkew_AnySchedule_InvariantAcrossTwoTVarsHolds() => AssertNoBug(nameof(EngineScenarios.WriteSkew), EngineScenarios.WriteSkew);

    [Fact]
    public void TornSnapshot_AnySchedule_EveryAttemptSeesConsistentSum() =>
        AssertNoBug(nameof(EngineScenarios.TornSnapshot), EngineScenarios.TornSnapshot, volatileAccessesAreSchedulingPoints: true);

    [Fact]
    public void WriteSkew_OnTheHardwareTimeBaseWithEqualStamps_InvariantHolds() =>
        AssertNoBug(nameof(EngineScenarios.WriteSkewOnTheHardwareTimeBase), EngineScenarios.WriteSkewOnTheHardwareTimeBase, volatileAccessesAreSchedulingPoints: true);

    [Fact]
    public void TornSnapshot_WhileTheClockSwitchesTimeBases_EveryAttemptSeesConsistentSumAndTheLastCommit() =>
        AssertNoBug(nameof(EngineScenarios.TornSnapshotAcrossTimeBaseSwitches), EngineScenarios.TornSnapshotAcrossTimeBaseSwitches, volatileAccessesAreSchedulingPoints: true);

    [Fact]
    public void OppositeOrderWriters_AnySchedule_NoDeadlockAndSerialOutcome() => AssertNoBug(nameof(EngineScenarios.OppositeOrderWriters), EngineScenarios.OppositeOrderWriters);

    [Fact]
    public void Commute_ConcurrentAddersAndReader_AllApplyAndReaderSeesPrefix() => AssertNoBug(nameof(EngineScenarios.CommutingCounters), EngineScenarios.CommutingCounters);

    [Fact]
    public void SoleWriterAndCommuters_AnySchedule_EveryUpdateLands() => AssertNoBug(nameof(EngineScenarios.WriterAndCommutersOnOneTVar), EngineScenarios.WriterAndCommutersOnOneTVar);

    [Fact]
    public void OutsideReads_AnySchedule_SeeCommitsWhole() =>
        AssertNoBug(nameof(EngineScenarios.OutsideReadsSeeWholeCommits), EngineScenarios.OutsideReadsSeeWholeCommits, volatileAccessesAreSchedulingPoints: true);

    [Fact]
    public void ReadOnly_ConcurrentWriters_ConsistentAndFirstAttemptCommits() => AssertNoBug(nameof(EngineScenarios.ReadOnlyNeverAborts), EngineScenarios.ReadOnlyNeverAborts);

    [Fact]
    public void OrElse_FirstBranchRetriesUnderConcurrentMove_SecondBranchRunsAndTokensConserved() => AssertNoBug(nameof(EngineScenarios.OrElseChoiceUnderConcurrentMoves), EngineScenarios.OrElseChoiceUnderConcurrentMoves);

    [Fact]
    public void Nested_ThrowsUnderContention_OnlyNestedWritesRollBack() => AssertNoBug(nameof(EngineScenarios.NestedRollbackUnderContention), EngineScenarios.NestedRollbackUnderContention);

    [Fact]
    public void ListAppend_AnySchedule_HistoryCheckerFindsItSerializable() =>
        AssertNoBug(nameof(EngineScenarios.ListAppendHistory), EngineScenarios.ListAppendHistory, volatileAccessesAreSchedulingPoints: true);

    private void AssertNoBug(string name, Action scenario, bool volatileAccessesAreSchedulingPoints = false)
    {
        ExplorationResult result = CoyoteExplorer.Explore(name, scenario, Iterations, volatileAccessesAreSchedulingPoints: volatileAccessesAreSchedulingPoints);
        output.WriteLine(result.ToString());
        output.WriteLine(result.Summary);
        Assert.False(result.FoundBug, result.ToString());
        result.AssertFullyControlled();

        // Spinning committers that never let each other through (a livelock) would run into the step
        // bound on nearly every schedule; a few long schedules are normal.
        Assert.True(result.MaxStepsHits * 10 <= result.Iterations, $"livelock suspected: {result}");
    }
}
