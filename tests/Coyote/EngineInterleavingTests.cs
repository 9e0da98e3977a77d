using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Coyote;

/// <summary>
/// Systematic interleaving tests of the engine's commit, validation, snapshot, wake-up and
/// cancellation paths: Coyote explores many schedules of each <see cref="EngineScenarios"/> program
/// and every schedule must pass its check, finish (no deadlock) and throw nothing unexpected.
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
    public void TornSnapshot_AnySchedule_EveryAttemptSeesConsistentSum() => AssertNoBug(nameof(EngineScenarios.TornSnapshot), EngineScenarios.TornSnapshot);

    [Fact]
    public void RetryHandOff_AnySchedule_ConsumerWakes() => AssertNoBug(nameof(EngineScenarios.RetryHandOff), EngineScenarios.RetryHandOff);

    [Fact]
    public void TwoWaitersTwoItems_AnySchedule_BothWakeAndTakeOneEach() => AssertNoBug(nameof(EngineScenarios.TwoWaitersTwoItems), EngineScenarios.TwoWaitersTwoItems);

    [Fact]
    public void OrElse_ProducerFillsSecondBranch_WaiterWakes() => AssertNoBug(nameof(EngineScenarios.OrElseWakesOnSecondBranch), EngineScenarios.OrElseWakesOnSecondBranch);

    [Fact]
    public void OppositeOrderWriters_AnySchedule_NoDeadlockAndSerialOutcome() => AssertNoBug(nameof(EngineScenarios.OppositeOrderWriters), EngineScenarios.OppositeOrderWriters);

    [Fact]
    public void Commute_ConcurrentAddersAndReader_AllApplyAndReaderSeesPrefix() => AssertNoBug(nameof(EngineScenarios.CommutingCounters), EngineScenarios.CommutingCounters);

    [Fact]
    public void Cancellation_RacingWakeUp_EitherCommitsOrCancelsCleanly() => AssertNoBug(nameof(EngineScenarios.CancellationRacesWakeUp), EngineScenarios.CancellationRacesWakeUp);

    [Fact]
    public void RunAsync_WaiterInRetry_ProducerWakesIt() => AssertNoBug(nameof(EngineScenarios.AsyncWaiterWakes), EngineScenarios.AsyncWaiterWakes);

    private void AssertNoBug(string name, Action scenario)
    {
        ExplorationResult result = CoyoteExplorer.Explore(name, scenario, Iterations);
        output.WriteLine(result.ToString());
        output.WriteLine(result.Summary);
        Assert.False(result.FoundBug, result.ToString());
    }
}
