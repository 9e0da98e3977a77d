namespace Stm.Tests.Properties.Core;

/// <summary>What running a program observably did: retried (blocked), or committed with a trace of reads; and the final variables.</summary>
public sealed record Outcome(bool Retried, IReadOnlyList<int> Trace, IReadOnlyList<int> Final)
{
    public bool SameAs(Outcome other) =>
        Retried == other.Retried && Trace.SequenceEqual(other.Trace) && Final.SequenceEqual(other.Final);

    public override string ToString() =>
        (Retried ? "retried" : $"committed, read [{string.Join(", ", Trace)}]") + $", final [{string.Join(", ", Final)}]";
}
