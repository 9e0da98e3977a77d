using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Cutting version chains while other committers publish on top of them. A sole commit cuts after it
/// has released the clock, so two committers of one TVar can walk and cut its chain at the same time;
/// readers that hold snapshots open for a while keep the chains long enough for the walks to happen.
/// </summary>
[Trait("Category", "Stress")]
public sealed class TrimStressTests
{
    private const int Writers = 4;
    private const int Readers = 2;
    private const int PerWriter = 20_000;

    [Fact]
    public void Increments_WhileSnapshotsComeAndGo_AllLandAndChainsStayShortAfterwards()
    {
        var counter = new TVar<long>(0, "trim-stress");
        using var start = new Barrier(Writers + Readers);
        int writersLeft = Writers;
        long staleReads = 0;

        TestThread.RunAll(Writers + Readers, index =>
        {
            start.SignalAndWait(Bounded.Limit);
            if (index < Writers)
            {
                for (int i = 0; i < PerWriter; i++)
                {
                    Atomic.Run(() => counter.Value++);
                }

                Interlocked.Decrement(ref writersLeft);
                return;
            }

            // Readers pin a snapshot across a few of the writers' commits, so writers find versions
            // to keep and chains to walk, and move the bound on when the snapshot ends.
            while (Volatile.Read(ref writersLeft) > 0)
            {
                Atomic.Run(() =>
                {
                    long first = counter.Value;
                    Thread.SpinWait(200);
                    if (counter.Value != first)
                    {
                        Interlocked.Increment(ref staleReads);
                    }
                });
            }
        });

        Assert.Equal(Writers * PerWriter, counter.Value);
        Assert.Equal(0, staleReads);
        counter.Value = -1;
        counter.Value = -2;
        Assert.InRange(counter.VersionCount, 1, 2);
    }
}
