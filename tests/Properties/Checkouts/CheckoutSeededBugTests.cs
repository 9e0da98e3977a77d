using FsCheck;
using FsCheck.Fluent;
using Stm.Internal;
using Stm.Testing;
using Stm.Tests.Properties.Core;
using Xunit;

namespace Stm.Tests.Properties.Checkouts;

/// <summary>
/// Proof that the checkout property can fail: with commit validation switched off
/// (<see cref="TestHooks.SkipCommitValidation"/>), a checkout whose reads changed while it awaited
/// before its commit commits anyway, and the property reports the lost updates. A fixed program in
/// which every task reads, appends and moves in one block and then awaits 1 ms before committing
/// makes the clash certain; the same program passes with validation on.
/// </summary>
[Collection(nameof(SeededBugCollection))]
public sealed class CheckoutSeededBugTests
{
    [Fact]
    public void SkipCommitValidation_GeneratedPrograms_PropertyIsFalsified()
    {
        // The property's own generator, without shrinking: shrinking a failure that depends on timing
        // would only spend time here.
        var property = Prop.ForAll(Arb.From(CheckoutArbitraries.ProgramGen), program =>
        {
            var result = CheckoutProgramRunner.Run(program);
            return result.Passed.Label(result.Description);
        });

        Exception? falsified;
        using (PlantedBugs.Plant(PlantedBug.SkipCommitValidation))
        {
            falsified = Record.Exception(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(30), property));
        }

        Assert.NotNull(falsified);
        Assert.Contains("Falsifiable", falsified.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipCommitValidation_AllTasksReadWriteThenAwaitBeforeCommit_LostUpdatesAndMoneyReported()
    {
        CheckoutRunResult result;
        using (PlantedBugs.Plant(PlantedBug.SkipCommitValidation))
        {
            result = CheckoutProgramRunner.Run(ClashingProgram());
        }

        Assert.False(result.Passed, result.Description);
        Assert.Contains("not strictly serializable", result.Description, StringComparison.Ordinal);
        Assert.Contains("final balances", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void CommitValidation_AllTasksReadWriteThenAwaitBeforeCommit_Passes()
    {
        var result = CheckoutProgramRunner.Run(ClashingProgram());

        Assert.True(result.Passed, result.Description);
    }

    /// <summary>
    /// Six tasks, three transactions each, alternating the hand-made and the RunAsync loop: read and
    /// append register 0, move 10 from account 0 to 1 (so both accounts are read and written), audit,
    /// then await 1 ms before the commit. Every task starts at once, so their checkouts overlap.
    /// </summary>
    private static CheckoutProgram ClashingProgram()
    {
        CheckoutBlock block = new([CheckoutOp.Read(0), CheckoutOp.Append(0), CheckoutOp.Move(0, 1, 10), CheckoutOp.Audit], new AsyncPause(AsyncPauseKind.Delay1));
        var tasks = Enumerable.Range(0, 6)
            .Select(t => (IReadOnlyList<CheckoutTransaction>)[.. Enumerable.Range(0, 3).Select(i =>
                new CheckoutTransaction((t + i) % 2 == 0 ? CheckoutStyle.TryCommit : CheckoutStyle.RunAsync, [block]))])
            .ToArray();
        return new CheckoutProgram(1, [100, 100], tasks);
    }
}
