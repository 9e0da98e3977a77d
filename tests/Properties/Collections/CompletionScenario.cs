using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// Producers enqueue their items into a <c>TQueue</c> (capacity 0) or a <c>TBoundedQueue</c>, then
/// the queue is completed, either at once or once every consumer still running waits on the empty
/// queue (<see cref="CompleteWhenAllWait"/>); the consumers take items until the queue is drained.
/// </summary>
public sealed record CompletionScenario(int Capacity, IReadOnlyList<int> ItemsPerProducer, IReadOnlyList<CompletionConsumer> Consumers, bool CompleteWhenAllWait)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"[{string.Join(",", ItemsPerProducer)}] items -> {(Capacity == 0 ? "TQueue" : $"TBoundedQueue({Capacity})")} -> [{string.Join(", ", Consumers)}], complete {(CompleteWhenAllWait ? "when all wait" : "at once")}");
}
