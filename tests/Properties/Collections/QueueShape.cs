using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// A generated producer/consumer run over one queue: <paramref name="Producers"/> threads enqueue
/// <paramref name="Items"/> items each, <paramref name="Consumers"/> threads dequeue them all.
/// </summary>
/// <param name="Producers">Producer threads.</param>
/// <param name="Consumers">Consumer threads.</param>
/// <param name="Items">Items per producer.</param>
/// <param name="Capacity">The capacity of a <c>TBoundedQueue</c>, or 0 for an unbounded <c>TQueue</c>.</param>
public sealed record QueueShape(int Producers, int Consumers, int Items, int Capacity)
{
    /// <summary>Prints the shape, e.g. <c>3 producers x 81 items -> TBoundedQueue(2) -> 2 consumers</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Producers} producers x {Items} items -> {(Capacity == 0 ? "TQueue" : $"TBoundedQueue({Capacity})")} -> {Consumers} consumers");
}
