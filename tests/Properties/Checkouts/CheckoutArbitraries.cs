using FsCheck;
using FsCheck.Fluent;
using Stm.Tests.Properties.Core;

namespace Stm.Tests.Properties.Checkouts;

/// <summary>
/// Generators and shrinkers of checkout programs. Task counts never shrink below
/// <see cref="CoreArbitraries.MinThreads"/> (more tasks than the 2 cores of CI); transactions,
/// blocks, steps and awaits shrink away.
/// </summary>
public static class CheckoutArbitraries
{
    public static Gen<AsyncPause> PauseGen { get; } = Gen.Frequency(
        (3, Gen.Constant(AsyncPause.None)),
        (2, Gen.Constant(new AsyncPause(AsyncPauseKind.Yield))),
        (1, Gen.Constant(new AsyncPause(AsyncPauseKind.Delay0))),
        (2, Gen.Constant(new AsyncPause(AsyncPauseKind.Delay1))));

    /// <summary>Programs of 4 to 8 tasks, each with 1 to 5 transactions over 2-4 registers and 2-4 accounts.</summary>
    public static Gen<CheckoutProgram> ProgramGen { get; } =
        from keys in Gen.Choose(2, 4)
        from accounts in Gen.Choose(2, 4)
        from balances in Gen.Choose(0, 100).ArrayOf(accounts)
        from taskCount in Gen.Choose(CoreArbitraries.MinThreads, 8)
        from tasks in TaskGen(keys, accounts).ArrayOf(taskCount)
        select new CheckoutProgram(keys, balances, tasks);

    public static Arbitrary<CheckoutProgram> CheckoutProgram() =>
        Arb.From(ProgramGen, program => CoreArbitraries.ShrinkThreads(program.Tasks, Simplify).Select(tasks => program with { Tasks = tasks }));

    private static Gen<IReadOnlyList<CheckoutTransaction>> TaskGen(int keys, int accounts) =>
        from count in Gen.Choose(1, 5)
        from transactions in TransactionGen(keys, accounts).ListOf(count)
        select (IReadOnlyList<CheckoutTransaction>)[.. transactions];

    private static Gen<CheckoutTransaction> TransactionGen(int keys, int accounts) =>
        from style in Gen.Frequency(
            (3, Gen.Constant(CheckoutStyle.TryCommit)),
            (1, Gen.Constant(CheckoutStyle.Commit)),
            (3, Gen.Constant(CheckoutStyle.RunAsync)),
            (2, Gen.Constant(CheckoutStyle.AtomicRun)))
        from blockCount in style == CheckoutStyle.AtomicRun ? Gen.Constant(1) : Gen.Choose(1, 3)
        from blocks in BlockGen(keys, accounts).ListOf(blockCount)
        select new CheckoutTransaction(style, [.. blocks]);

    private static Gen<CheckoutBlock> BlockGen(int keys, int accounts) =>
        from count in Gen.Choose(1, 3)
        from ops in OpGen(keys, accounts).ListOf(count)
        from pause in PauseGen
        select new CheckoutBlock([.. ops], pause);

    private static Gen<CheckoutOp> OpGen(int keys, int accounts) => Gen.Frequency(
        (3, Gen.Choose(0, keys - 1).Select(CheckoutOp.Read)),
        (3, Gen.Choose(0, keys - 1).Select(CheckoutOp.Append)),
        (2,
            from source in Gen.Choose(0, accounts - 1)
            from offset in Gen.Choose(1, accounts - 1)
            from amount in Gen.Choose(1, 30)
            select CheckoutOp.Move(source, (source + offset) % accounts, amount)),
        (1, Gen.Constant(CheckoutOp.Audit)));

    /// <summary>
    /// One simpler form of a transaction, or null: drop its last block, else the last step of a
    /// block with several, else clear an await, else run a checkout style as the plain TryCommit loop.
    /// </summary>
    private static CheckoutTransaction? Simplify(CheckoutTransaction transaction)
    {
        var blocks = transaction.Blocks;
        if (blocks.Count > 1)
        {
            return transaction with { Blocks = [.. blocks.Take(blocks.Count - 1)] };
        }

        var block = blocks[0];
        if (block.Ops.Count > 1)
        {
            return transaction with { Blocks = [block with { Ops = [.. block.Ops.Take(block.Ops.Count - 1)] }] };
        }

        if (block.PauseAfter != AsyncPause.None)
        {
            return transaction with { Blocks = [block with { PauseAfter = AsyncPause.None }] };
        }

        return transaction.Style is CheckoutStyle.Commit or CheckoutStyle.RunAsync
            ? transaction with { Style = CheckoutStyle.TryCommit }
            : null;
    }
}
