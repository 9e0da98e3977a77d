using FsCheck;
using FsCheck.Fluent;
using Stm.Tests.Properties.Core;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// Generators of the completion property: 1 to 3 producers of 0 to 30 items, 1 to 4 consumers of any
/// kind (at least <see cref="CoreArbitraries.MinThreads"/> threads in all), an unbounded queue or
/// capacity 1 to 4. Shrinks towards fewer items, fewer consumers and completing at once.
/// </summary>
public static class CompletionArbitraries
{
    public static Arbitrary<CompletionScenario> CompletionScenario()
    {
        var gen =
            from producers in Gen.Choose(1, 3)
            from items in Gen.Choose(0, 30).ArrayOf(producers)
            from consumerCount in Gen.Choose(Math.Max(1, CoreArbitraries.MinThreads - producers), 4)
            from consumers in Gen.Elements(Enum.GetValues<CompletionConsumer>()).ArrayOf(consumerCount)
            from capacity in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 4)))
            from whenAllWait in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            select new CompletionScenario(capacity, items, consumers, whenAllWait);
        return Arb.From(gen, Shrink);
    }

    private static IEnumerable<CompletionScenario> Shrink(CompletionScenario scenario)
    {
        for (var p = 0; p < scenario.ItemsPerProducer.Count; p++)
        {
            if (scenario.ItemsPerProducer[p] > 0)
            {
                var items = scenario.ItemsPerProducer.ToArray();
                items[p] /= 2;
                yield return scenario with { ItemsPerProducer = items };
            }
        }

        if (scenario.Consumers.Count > 1)
        {
            yield return scenario with { Consumers = [.. scenario.Consumers.Skip(1)] };
        }

        if (scenario.CompleteWhenAllWait)
        {
            yield return scenario with { CompleteWhenAllWait = false };
        }
    }
}
