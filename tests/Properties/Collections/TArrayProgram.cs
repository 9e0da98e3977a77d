using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>A generated TArray run: the array's length and transactions of steps, each run in its own <c>Atomic.Run</c>.</summary>
/// <param name="Length">The array's length.</param>
/// <param name="Transactions">The transactions, in order.</param>
public sealed record TArrayProgram(int Length, TArrayStep[][] Transactions)
{
    /// <summary>Prints the program, e.g. <c>length 3: atomic { a[1]=5, read a[4] }; atomic { }</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"length {Length}: ")
        + (Transactions.Length == 0 ? "(nothing)" : string.Join("; ", Transactions.Select(FormatTransaction)));

    private static string FormatTransaction(TArrayStep[] steps) =>
        steps.Length == 0 ? "atomic { }" : "atomic { " + string.Join(", ", steps.Select(static s => s.ToString())) + " }";
}
