namespace Stm.Tests.Properties.Core;

/// <summary>Increments of <see cref="Counters"/> shared counters, one list per thread.</summary>
public sealed record CommuteProgram(int Counters, IReadOnlyList<IReadOnlyList<CommuteOperation>> Threads)
{
    public override string ToString() =>
        $"{Counters} counters: {string.Join(" | ", Threads.Select(t => string.Join("; ", t)))}";
}
