namespace Stm.Soak;

/// <summary>What the fairness workload measured.</summary>
public sealed class FairnessFigures
{
    /// <summary>Gets the number of probes that fed every consumer.</summary>
    public required long Probes { get; init; }

    /// <summary>Gets the number of probes in which some consumer received an item out of park order.</summary>
    public required long OutOfOrder { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"fairness: probes={Probes} out-of-park-order={OutOfOrder}";
}
