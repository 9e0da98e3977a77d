namespace Stm.Tests.Properties.Checkouts;

/// <summary>
/// A generated program: the number of list-append registers, the starting balances of the bank,
/// and, per task, the transactions it runs one after the other.
/// </summary>
public sealed record CheckoutProgram(int Keys, IReadOnlyList<int> Balances, IReadOnlyList<IReadOnlyList<CheckoutTransaction>> Tasks)
{
    public int TransactionCount => Tasks.Sum(t => t.Count);

    public override string ToString() =>
        $"{Keys} registers, balances [{string.Join(", ", Balances)}]"
        + string.Concat(Tasks.Select((txs, i) => $"{Environment.NewLine}  task {i}: {string.Join(" ", txs)}"));
}
