using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Stm.Tests.Properties.Checkouts;

/// <summary>
/// Checkouts and ordinary transactions together, on more tasks than cores: generated async programs
/// whose checkouts await (yield or a 0-1 ms delay) between their blocks and before their commit,
/// run both by hand (<c>Atomic.Checkout()</c> with <c>TryCommit</c> or <c>Commit</c>, redone after a
/// clash) and by <c>Atomic.RunAsync</c>. See <see cref="CheckoutProgramRunner"/> for what is recorded
/// and checked: strict serializability of the list-append history (aborted attempts included), the
/// bank's total in every audit of every attempt, exact final balances, one commit per transaction.
/// </summary>
public sealed class CheckoutPropertyTests
{
    [Property(MaxTest = 30, Arbitrary = [typeof(CheckoutArbitraries)])]
    public Property Checkouts_GeneratedAsyncPrograms_HistoryStrictlySerializableAndMoneyConserved(CheckoutProgram program)
    {
        var result = CheckoutProgramRunner.Run(program);
        return result.Passed.Label(result.Description);
    }
}
