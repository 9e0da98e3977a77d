namespace Stm.Tests.Properties.Collections;

/// <summary>
/// Generated queue transactions, run one after another: each inner array runs as one transaction,
/// except an array of one operation, which runs outside any transaction.
/// </summary>
/// <param name="Transactions">The transactions, in order.</param>
public sealed record QueueProgram(QueueOperation[][] Transactions)
{
    /// <summary>Prints the program as a failing property shows it, e.g. <c>Enqueue(3); atomic { Dequeue, Count }</c>.</summary>
    public override string ToString() => Format(Transactions);

    internal static string Format(QueueOperation[][] transactions) =>
        transactions.Length == 0 ? "(nothing)" : string.Join("; ", transactions.Select(FormatTransaction));

    private static string FormatTransaction(QueueOperation[] operations) => operations.Length switch
    {
        0 => "atomic { }",
        1 => operations[0].ToString(),
        _ => "atomic { " + string.Join(", ", operations.Select(static o => o.ToString())) + " }",
    };
}
