using FsCheck;
using FsCheck.Fluent;

namespace Stm.Tests.Properties.Collections;

/// <summary>Registers generated TArray programs for <c>[Property]</c>, with a shrinker.</summary>
public static class TArrayArbitraries
{
    /// <summary>
    /// Transactions of steps at indexes -1 to 8 (so some are out of range). Shrinks by dropping
    /// transactions and steps (FsCheck's array shrinker) and by shrinking written values towards 0.
    /// </summary>
    private static readonly Arbitrary<TArrayStep[][]> s_transactions =
        Arb.Array(Arb.Array(Arb.From(
            Gen.Choose(-1, 8).SelectMany(static index => Gen.Choose(-5, 50), static (index, value) => new TArrayStep(index, value)),
            static step => step.Value > 0 ? [step with { Value = 0 }, step with { Value = step.Value / 2 }] : Array.Empty<TArrayStep>())));

    /// <summary>Programs over an array of length 0 to 8; the length shrinks towards 0.</summary>
    public static Arbitrary<TArrayProgram> Programs() =>
        Arb.From(
            from length in Gen.Choose(0, 8)
            from transactions in s_transactions.Generator
            select new TArrayProgram(length, transactions),
            static program =>
                s_transactions.Shrinker(program.Transactions).Select(t => program with { Transactions = t })
                    .Concat(Shrinking.Toward(program.Length, 0).Select(l => program with { Length = l })));
}
