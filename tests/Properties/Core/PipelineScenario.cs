namespace Stm.Tests.Properties.Core;

/// <summary>
/// A generated producer/consumer system: producers (each with its item count) put into a bounded
/// buffer; relays move each item, in one transaction, into a hand-off slot or else (OrElse) a
/// second bounded buffer; consumers take from the slot or else the second buffer.
/// </summary>
public sealed record PipelineScenario(IReadOnlyList<int> ItemsPerProducer, int FirstCapacity, int Relays, int SecondCapacity, int Consumers)
{
    public int Threads => ItemsPerProducer.Count + Relays + Consumers;

    public override string ToString() =>
        $"producers [{string.Join(", ", ItemsPerProducer)}] -> buffer({FirstCapacity}) -> {Relays} relays -> slot | buffer({SecondCapacity}) -> {Consumers} consumers";
}
