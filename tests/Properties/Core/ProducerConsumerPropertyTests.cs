using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Issue 3, blocking composition: a generated producer/consumer system built only from TVars,
/// Retry and OrElse, on more threads than cores, delivers every item exactly once and never hangs
/// (a lost wake-up would leave a thread parked in Retry past the timeout).
/// </summary>
public sealed class ProducerConsumerPropertyTests
{
    private const int Empty = -1;

    [Property(MaxTest = 25, Arbitrary = [typeof(CoreArbitraries)])]
    public Property Pipeline_GeneratedProducersRelaysConsumers_DeliverEveryItemExactlyOnce(PipelineScenario scenario)
    {
        var first = new TVarBuffer(scenario.FirstCapacity, "first");
        var second = new TVarBuffer(scenario.SecondCapacity, "second");
        var slot = new TVar<int>(Empty, "slot");
        var total = scenario.ItemsPerProducer.Sum();
        var toRelay = new TVar<int>(total, "toRelay");
        var toConsume = new TVar<int>(total, "toConsume");
        var consumed = new ConcurrentQueue<int>();
        var producers = scenario.ItemsPerProducer.Count;

        var failure = Workers.Run(scenario.Threads, worker =>
        {
            if (worker < producers)
            {
                for (var i = 0; i < scenario.ItemsPerProducer[worker]; i++)
                {
                    var item = (worker * 1000) + i;
                    Atomic.Run(() => first.Put(item));
                }
            }
            else if (worker < producers + scenario.Relays)
            {
                // Take from the first buffer and hand off, in one transaction: the item is never in flight.
                while (Atomic.Run(() =>
                {
                    if (toRelay.Value == 0)
                    {
                        return false;
                    }

                    var item = first.Take();
                    Atomic.OrElse(
                        () =>
                        {
                            Atomic.Check(slot.Value == Empty);
                            slot.Write(item);
                        },
                        () => second.Put(item));
                    toRelay.Value--;
                    return true;
                }))
                {
                }
            }
            else
            {
                while (true)
                {
                    var item = Atomic.Run(() =>
                    {
                        if (toConsume.Value == 0)
                        {
                            return Empty;
                        }

                        var taken = Atomic.OrElse(
                            () =>
                            {
                                var value = slot.Value;
                                Atomic.Check(value != Empty);
                                slot.Write(Empty);
                                return value;
                            },
                            second.Take);
                        toConsume.Value--;
                        return taken;
                    });
                    if (item == Empty)
                    {
                        break;
                    }

                    consumed.Enqueue(item);
                }
            }
        });

        var expected = scenario.ItemsPerProducer.SelectMany((count, p) => Enumerable.Range(0, count).Select(i => (p * 1000) + i)).Order().ToArray();
        var actual = consumed.Order().ToArray();
        var duplicates = actual.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        var missing = expected.Except(actual).ToArray();
        var leftOver = $"first {first.Count}, slot {slot.Value}, second {second.Count}, toRelay {toRelay.Value}, toConsume {toConsume.Value}";
        var ok = failure is null && actual.SequenceEqual(expected) && first.Count == 0 && second.Count == 0 && slot.Value == Empty;
        return ok.Label(
            $"{failure}{Environment.NewLine}delivered {actual.Length} of {expected.Length}; duplicates [{string.Join(", ", duplicates)}]; missing [{string.Join(", ", missing)}]; left: {leftOver}");
    }
}
