using System.Diagnostics;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// The lost wake-up race: a producer commits exactly while the consumer is between reading the
/// TVar and parking. A lost wake-up leaves the consumer parked forever, so the test is bounded.
/// </summary>
[Trait("Category", "Stress")]
public sealed class WakeupStressTests
{
    [Fact]
    public void Retry_ProducerCommitsWhileConsumerIsAboutToPark_NoWakeUpIsLost()
    {
        const int Items = 100_000;
        var available = new TVar<int>(0, "available");
        int consumerWaitingFor = -1;
        int consumed = 0;

        var consumer = TestThread.Start(
            () =>
            {
                for (int i = 0; i < Items; i++)
                {
                    int item = i;
                    Atomic.Run(() =>
                    {
                        int value = available.Value;
                        if (value == 0)
                        {
                            // Tell the producer we are about to park for this item.
                            Volatile.Write(ref consumerWaitingFor, item);
                            Atomic.Retry();
                        }

                        available.Write(value - 1);
                    });
                    Volatile.Write(ref consumed, i + 1);
                }
            },
            "consumer");
        // A lost wake-up shows as one hand-off that never completes, so the bound is per item (a
        // stall), not on the whole run, whose length depends on how loaded the machine is.
        var stallLimit = TimeSpan.FromSeconds(20);
        var limit = TimeSpan.FromSeconds(240);
        var producer = TestThread.Start(
            () =>
            {
                var stopwatch = Stopwatch.StartNew();
                for (int i = 0; i < Items; i++)
                {
                    stopwatch.Restart();
                    // Produce item i only once the consumer has found nothing for it: the commit
                    // races the consumer's registration and park.
                    var spinner = default(SpinWait);
                    while (Volatile.Read(ref consumerWaitingFor) < i)
                    {
                        Assert.True(stopwatch.Elapsed < stallLimit, $"The consumer stalled before item {i}: a wake-up was lost.");
                        spinner.SpinOnce(sleep1Threshold: -1);
                    }

                    available.Modify(v => v + 1);
                }
            },
            "producer");

        producer.Join(limit);
        consumer.Join(limit);

        Assert.Equal(Items, Volatile.Read(ref consumed));
        Assert.Equal(0, available.Value);
    }

    [Fact]
    public void Retry_SeveralConsumersAndProducersOnOneTVar_AllItemsConsumed()
    {
        const int Producers = 3;
        const int Consumers = 3;
        const int PerProducer = 5_000;
        var available = new TVar<int>(0, "stock");
        var taken = new TVar<int>(0, "taken");
        int total = Producers * PerProducer;
        using var start = new Barrier(Producers + Consumers);

        TestThread.RunAll(
            Producers + Consumers,
            thread =>
            {
                start.SignalAndWait(Bounded.Limit);
                if (thread < Producers)
                {
                    for (int i = 0; i < PerProducer; i++)
                    {
                        available.Modify(v => v + 1);
                    }
                }
                else
                {
                    while (true)
                    {
                        bool more = Atomic.Run(() =>
                        {
                            if (taken.Value == total)
                            {
                                return false;
                            }

                            Atomic.Check(available.Value > 0);
                            available.Value -= 1;
                            taken.Value += 1;
                            return true;
                        });
                        if (!more)
                        {
                            break;
                        }
                    }
                }
            },
            TimeSpan.FromSeconds(60));

        Assert.Equal(total, taken.Value);
        Assert.Equal(0, available.Value);
    }
}
