using FsCheck;
using FsCheck.Fluent;

namespace Stm.Tests.Properties.History;

/// <summary>Registers generated serial list-append workloads for <c>[Property]</c>, with a shrinker.</summary>
public static class HistoryArbitraries
{
    /// <summary>
    /// Up to 30 transactions of 1 to 5 steps over 1 to 4 keys, and a seed. Shrinks by dropping
    /// transactions, then steps (a transaction keeps at least one), then the seed towards 0.
    /// </summary>
    public static Arbitrary<SerialWorkload> Workloads()
    {
        Gen<CheckerStep[][]> transactions =
            from keys in Gen.Choose(1, 4)
            from list in (
                from isAppend in Gen.Elements(true, false)
                from key in Gen.Choose(0, keys - 1)
                select new CheckerStep(isAppend, key)).NonEmptyListOf().Resize(5).Select(static l => l.ToArray()).ListOf().Resize(30)
            select list.ToArray();
        return Arb.From(
            from t in transactions
            from seed in Gen.Choose(0, int.MaxValue)
            select new SerialWorkload(t, seed),
            Shrink);
    }

    private static IEnumerable<SerialWorkload> Shrink(SerialWorkload workload)
    {
        CheckerStep[][] transactions = workload.Transactions;
        for (int i = 0; i < transactions.Length; i++)
        {
            yield return workload with { Transactions = [.. transactions[..i], .. transactions[(i + 1)..]] };
        }

        for (int i = 0; i < transactions.Length; i++)
        {
            for (int j = 0; transactions[i].Length > 1 && j < transactions[i].Length; j++)
            {
                CheckerStep[] steps = [.. transactions[i][..j], .. transactions[i][(j + 1)..]];
                CheckerStep[][] copy = [.. transactions];
                copy[i] = steps;
                yield return workload with { Transactions = copy };
            }
        }

        if (workload.Seed != 0)
        {
            yield return workload with { Seed = 0 };
        }
    }
}
