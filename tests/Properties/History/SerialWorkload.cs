using System.Globalization;

namespace Stm.Tests.Properties.History;

/// <summary>
/// Generated list-append transactions (each non-empty) run one after another on a model, and the
/// seed that picks the aborted attempts and the shuffled order in which they are recorded.
/// </summary>
/// <param name="Transactions">The transactions, in execution order.</param>
/// <param name="Seed">The seed of the aborted attempts and of the recording order.</param>
public sealed record SerialWorkload(CheckerStep[][] Transactions, int Seed)
{
    /// <summary>Prints the workload, e.g. <c>seed 7: [append 0, r 1] [r 0]</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"seed {Seed}: ")
        + (Transactions.Length == 0 ? "(nothing)" : string.Join(" ", Transactions.Select(static t => "[" + string.Join(", ", t.Select(static s => s.ToString())) + "]")));
}
