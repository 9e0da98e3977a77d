using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using Stm.Testing;
using Stm.Tests.Properties.Collections;
using Xunit;
using Xunit.Abstractions;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Tests of the properties: each plants one bug in the engine (<see cref="PlantedBugs"/>) and checks
/// one of this suite's properties, the <c>[Property]</c> method itself, against its own generator
/// (without shrinking: shrinking a failure that depends on timing would only spend time), which must
/// then be falsified within a few generated cases. Runs alone: the switches are process-wide.
/// </summary>
/// <remarks>
/// A bug that loses wake-ups makes a property wait for something that never comes; the property runs
/// are bounded by <see cref="Workers.Timeout"/>, shortened here to <see cref="PropertyTimeout"/>.
/// </remarks>
[Collection(nameof(SeededBugCollection))]
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PropertyTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public void PlantedBugs_EveryOne_IsFalsifyingAPropertyHere()
    {
        var names = typeof(PlantedBugTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => m.Name)
            .ToArray();

        // Keeping every version breaks no property of the values transactions see: only memory tells.
        Assert.All(PlantedBugs.All.Except([PlantedBug.KeepEveryVersion]), bug => Assert.Contains(names, name => name.StartsWith(bug + "_", StringComparison.Ordinal)));
    }

    [Fact]
    public void TrimVersionsInUse_FalsifiesTheReadOnlySnapshotProperty() =>
        Falsifies(PlantedBug.TrimVersionsInUse, CoreArbitraries.ReadOnlyScenario(), new ReadOnlyPropertyTests().ReadOnlyTransaction_WritersCommitDuringItsReads_RunsBodyExactlyOnce, maxTest: 10);

    [Fact]
    public void ReadPastSnapshot_FalsifiesTheReadOnlySnapshotProperty() =>
        Falsifies(PlantedBug.ReadPastSnapshot, CoreArbitraries.ReadOnlyScenario(), new ReadOnlyPropertyTests().ReadOnlyTransaction_WritersCommitDuringItsReads_RunsBodyExactlyOnce, maxTest: 10);

    [Fact]
    public void SkipCommitValidation_FalsifiesTheListAppendSerializabilityProperty() =>
        Falsifies(PlantedBug.SkipCommitValidation, CoreArbitraries.ListAppendProgram(), new SerializabilityPropertyTests().ListAppend_GeneratedConcurrentTransactions_HistoryIsSerializable, maxTest: 30);

    [Fact]
    public void SkipRetryRevalidation_FalsifiesTheForcedWakeUpProperty() =>
        Falsifies(PlantedBug.SkipRetryRevalidation, CoreArbitraries.WakeUpScenario(), new WakeUpPropertyTests().Retry_GeneratedWaitersWithACommitForcedBeforeTheirRetry_AllWake, maxTest: 5);

    [Fact]
    public void WakeNewestFirst_FalsifiesTheWaitListOrderProperty() =>
        Falsifies(PlantedBug.WakeNewestFirst, CoreArbitraries.WaitOrderPlan(), new WaitOrderPropertyTests().WaitList_GeneratedParksWakeUpsAndReleases_StaysInFirstParkOrder, maxTest: 20);

    [Fact]
    public void NeverTakePriority_FalsifiesTheContentionProperty() =>
        Falsifies(PlantedBug.NeverTakePriority, CoreArbitraries.ContentionScenario(), new ContentionPropertyTests().LongTransaction_GeneratedInterference_CommitsOncePrioritisedAndHoldsBackOnlyItsWriters, maxTest: 3);

    [Fact]
    public void PriorityHoldsBackEveryone_FalsifiesTheContentionProperty() =>
        Falsifies(PlantedBug.PriorityHoldsBackEveryone, CoreArbitraries.ContentionScenario(), new ContentionPropertyTests().LongTransaction_GeneratedInterference_CommitsOncePrioritisedAndHoldsBackOnlyItsWriters, maxTest: 3);

    [Fact]
    public void CommuteOnSnapshotValue_FalsifiesTheCommuteProperty() =>
        Falsifies(PlantedBug.CommuteOnSnapshotValue, CoreArbitraries.CommuteProgram(), new CommutePropertyTests().Commute_GeneratedConcurrentIncrements_EveryIncrementCounts, maxTest: 30);

    [Fact]
    public void NestedThrowKeepsWrites_FalsifiesTheSequentialModelProperty() =>
        Falsifies(PlantedBug.NestedThrowKeepsWrites, CoreArbitraries.LawCase(), new RetryOrElseLawTests().GeneratedProgram_OnStm_MatchesSequentialModel, maxTest: 200);

    [Fact]
    public void CompleteWakesNoWaiter_FalsifiesTheCompletionProperty() =>
        Falsifies(PlantedBug.CompleteWakesNoWaiter, CompletionArbitraries.CompletionScenario(), new CompletionPropertyTests().Complete_GeneratedProducersAndWaitingConsumers_EveryItemOnceAndEveryConsumerEnds, maxTest: 10);

    /// <summary>Checks <paramref name="property"/> on cases from <paramref name="arbitrary"/>'s generator with <paramref name="bug"/> planted; it must be falsified.</summary>
    private void Falsifies<T>(PlantedBug bug, Arbitrary<T> arbitrary, Func<T, Property> property, int maxTest)
    {
        var unshrunk = Prop.ForAll(Arb.From(arbitrary.Generator), property);
        Exception? falsified;
        using (Workers.Shorten(PropertyTimeout))
        using (PlantedBugs.Plant(bug))
        {
            falsified = Record.Exception(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest), unshrunk));
        }

        Assert.True(falsified is not null, $"{bug} was planted, but {property.Method.Name} held for {maxTest} generated cases");
        output.WriteLine(falsified.Message);
        Assert.Contains("Falsifiable", falsified.Message, StringComparison.Ordinal);
    }
}
