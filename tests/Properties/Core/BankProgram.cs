namespace Stm.Tests.Properties.Core;

/// <summary>A generated bank: initial balances and, per thread, the transactions it runs.</summary>
public sealed record BankProgram(IReadOnlyList<int> Balances, IReadOnlyList<IReadOnlyList<BankOperation>> Threads)
{
    public override string ToString() =>
        $"balances [{string.Join(", ", Balances)}]; "
        + string.Join("; ", Threads.Select((ops, i) => $"thread {i}: [{string.Join(", ", ops)}]"));
}
