namespace Stm.Tests.Properties.Core;

/// <summary>A generated list-append workload: the number of keys and, per thread, its transactions (each a list of steps).</summary>
public sealed record ListAppendProgram(int Keys, IReadOnlyList<IReadOnlyList<IReadOnlyList<ListAppendStep>>> Threads)
{
    public override string ToString() =>
        $"{Keys} keys; "
        + string.Join("; ", Threads.Select((txs, i) => $"thread {i}: " + string.Join(" ", txs.Select(steps => "[" + string.Join(", ", steps) + "]"))));
}
