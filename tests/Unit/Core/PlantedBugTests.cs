using System.Reflection;
using Stm.Internal;
using Stm.Testing;
using Stm.Tests.Unit.Checkouts;
using Stm.Tests.Unit.Collections;
using Xunit;
using Xunit.Sdk;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Tests of the tests: each plants one bug in the engine (<see cref="PlantedBugs"/>) and runs a test
/// of this suite that guards the promise the bug breaks, which must then fail. The catcher is the
/// suite's own test method, called as it is, so what is proven is that the suite as it stands
/// catches the bug. Runs alone: the switches are process-wide.
/// </summary>
/// <remarks>
/// A bug that loses a wake-up makes its catcher wait for something that never comes; the waits of
/// this suite are bounded by <see cref="Bounded.Limit"/>, shortened here to <see cref="CatcherLimit"/>
/// (the loss is permanent, so any bound shows it). A waiter lost that way stays parked on TVars
/// nobody else uses.
/// </remarks>
[Collection(SequentialCoreCollection.Name)]
public sealed class PlantedBugTests
{
    /// <summary>The bound on the catchers' waits while a bug is planted.</summary>
    private static readonly TimeSpan CatcherLimit = TimeSpan.FromSeconds(2);

    [Fact]
    public void PlantedBugs_InThisTestProcess_AreEnabledAndAllOff()
    {
        Assert.True(TestHooks.Enabled, $"the test host's runtimeconfig.json lacks {TestHooks.SwitchName}");
        Assert.All(PlantedBugs.All, bug => Assert.False(PlantedBugs.IsOn(bug), $"{bug} is on outside a planted-bug test"));
    }

    [Fact]
    public void PlantedBugs_EveryOne_HasACatcherInThisClass()
    {
        var names = typeof(PlantedBugTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => m.Name)
            .ToArray();

        Assert.All(PlantedBugs.All, bug => Assert.Contains(names, name => name.StartsWith(bug + "_", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReadPastSnapshot_CaughtByTheInAttemptCheckOfAnUpdateHeldBetweenReads() =>
        Catches(PlantedBug.ReadPastSnapshot, new ConflictTests().Run_UpdateTransactionHeldBetweenReads_NeverSeesATornPair);

    [Fact]
    public void ReadPastSnapshot_CaughtByAReadOnlyTransactionHeldWhileAWriterCommits() =>
        Catches(PlantedBug.ReadPastSnapshot, new SnapshotTests().ReadOnly_HeldWhileWriterCommitsBoth_SeesOldConsistentSnapshotOnFirstAttempt);

    [Fact]
    public void SkipCommitValidation_CaughtByAReadModifyWriteHeldWhileAnotherCommits() =>
        Catches(PlantedBug.SkipCommitValidation, new ConflictTests().Run_ReadModifyWriteHeldWhileAnotherCommits_ReRunsAndKeepsBothUpdates);

    [Fact]
    public void SkipCommitValidation_CaughtByAForcedWriteSkew() =>
        Catches(PlantedBug.SkipCommitValidation, new ConflictTests().Run_WriteSkewForced_SecondTransactionSeesTheFirstAndKeepsConstraint);

    [Fact]
    public void SkipRetryRevalidation_CaughtByACommitForcedBetweenReadAndRetry() =>
        Catches(PlantedBug.SkipRetryRevalidation, new RetryTests().Retry_ProducerCommitsBetweenTheConsumersReadAndItsRetry_ConsumerStillTakesTheItem);

    [Fact]
    public void WakeNewestFirst_CaughtByTheWaitListOrderOfWaitersParkedOneAfterAnother() =>
        Catches(PlantedBug.WakeNewestFirst, new WaitOrderTests().Retry_WaitersParkedOneAfterAnother_AreQueuedInParkOrderAndKeepTheirPlaceWhenReparked);

    [Fact]
    public void WakeNewestFirst_CaughtByQueueConsumersParkedOneAfterAnother()
    {
        // With the bug, which woken consumer takes an item depends on which thread the OS runs first,
        // and once in many runs every item still goes in park order: three runs make a miss very
        // unlikely. (The wait-list catcher above is deterministic.)
        var catcher = new WakeFairnessTests().Dequeue_ConsumersParkedOneAfterAnother_ReceiveTheItemsInParkOrder;
        Catches(PlantedBug.WakeNewestFirst, catcher.Method, catcher, runs: 3);
    }

    [Fact]
    public void WakeNewestFirst_CaughtByRetryWaitersParkedOneAfterAnother() =>
        Catches(PlantedBug.WakeNewestFirst, new WakeFairnessTests().RetryOnATVar_WaitersParkedOneAfterAnother_TakeTheItemsInParkOrder);

    [Fact]
    public void NeverTakePriority_CaughtByALongTransactionUnderAStreamOfWriters() =>
        Catches(PlantedBug.NeverTakePriority, new ContentionManagerTests().LongTransaction_UnderAStreamOfShortConflictingWriters_CommitsOnceItHoldsPriority);

    [Fact]
    public void NeverTakePriority_CaughtByACheckoutRunUnderAStreamOfWriters() =>
        Catches(PlantedBug.NeverTakePriority, new CheckoutPriorityTests().RunAsyncCheckout_UnderAStreamOfShortConflictingWriters_CommitsOnceItHoldsPriority);

    [Fact]
    public void NeverTakePriority_CaughtByAWriterOfWhatTheBlockedHolderRead() =>
        Catches(PlantedBug.NeverTakePriority, new ContentionManagerTests().PriorityHolder_BlockedInItsBody_HoldsBackAWriterOfWhatItReadUntilItCommits);

    [Fact]
    public void PriorityHoldsBackEveryone_CaughtByAWriterOfAnotherTVarWhileTheHolderBlocks() =>
        Catches(PlantedBug.PriorityHoldsBackEveryone, new ContentionManagerTests().PriorityHolder_BlockedInItsBody_DoesNotHoldBackWritersOfOtherTVars);

    [Fact]
    public void CommuteOnSnapshotValue_CaughtByACommuteHeldWhileAPlainWriteCommits() =>
        Catches(PlantedBug.CommuteOnSnapshotValue, new CommuteTests().Commute_HeldWhileAPlainWriteCommits_IsAppliedOnTheNewestCommittedValue);

    [Fact]
    public void CommuteOnSnapshotValue_CaughtByACommuteHeldWhileAnotherCommutes() =>
        Catches(PlantedBug.CommuteOnSnapshotValue, new CommuteTests().Commute_HeldWhileAnotherTransactionCommutes_DoesNotConflictAndKeepsBoth);

    [Fact]
    public void NestedThrowKeepsWrites_CaughtByANestedRunThatThrows() =>
        Catches(PlantedBug.NestedThrowKeepsWrites, new NestingTests().Run_NestedThrowsAndOuterCatches_RollsBackOnlyNestedWrites);

    [Fact]
    public void NestedThrowKeepsWrites_CaughtByAnOrElseFirstBranchThatThrows() =>
        Catches(PlantedBug.NestedThrowKeepsWrites, new OrElseTests().OrElse_FirstThrowsAndOuterCatches_FirstWritesRolledBackOuterWritesKept);

    [Fact]
    public void CompleteWakesNoWaiter_CaughtByAConsumerParkedOnAnEmptyQueue() =>
        Catches(PlantedBug.CompleteWakesNoWaiter, new TQueueCompletionTests().Dequeue_WaiterParkedOnEmptyQueue_IsWokenByCompleteWithChannelClosed);

    [Fact]
    public void KeepEveryVersion_CaughtByTheVersionBoundUnderAnOpenSnapshot() =>
        Catches(PlantedBug.KeepEveryVersion, new RetentionTests().OpenSnapshot_WhileTwoWritersIncrementATVar_KeepsAFewVersionsAndStillReadsItsOwn);

    [Fact]
    public void TrimVersionsInUse_CaughtByTwoOpenSnapshotsReadingTheirOwnVersions() =>
        Catches(PlantedBug.TrimVersionsInUse, new RetentionTests().TwoOpenSnapshots_KeepTheirOwnVersionsAndNothingBetween);

    /// <summary>Runs <paramref name="catcher"/> with <paramref name="bug"/> planted and asserts that it fails.</summary>
    private static void Catches(PlantedBug bug, Action catcher) => Catches(bug, catcher.Method, catcher);

    private static void Catches(PlantedBug bug, Func<Task> catcher) =>
        Catches(bug, catcher.Method, () => catcher().GetAwaiter().GetResult());

    /// <summary>Runs the catcher with the bug planted, up to <paramref name="runs"/> times, and asserts that a run fails.</summary>
    private static void Catches(PlantedBug bug, MethodInfo catcherMethod, Action run, int runs = 1)
    {
        Exception? failure = null;
        for (int i = 0; i < runs && failure is null; i++)
        {
            using (Bounded.Shorten(CatcherLimit))
            using (PlantedBugs.Plant(bug))
            {
                failure = Record.Exception(run);
            }
        }

        Assert.True(failure is not null, $"{bug} was planted, but {catcherMethod.DeclaringType?.Name}.{catcherMethod.Name} passed ({runs} run(s))");

        // An assertion of the catcher, not a crash of the harness.
        Assert.True(failure is XunitException, $"{catcherMethod.Name} failed with {failure.GetType().Name} rather than an assertion: {failure}");
    }
}
