using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Cutting version chains while writers alternate between sole and locking commits of one TVar and
/// readers hold snapshots open for a while (so chains grow, are walked and are cut). An earlier
/// version cut after releasing the clock, concurrently with the next committer, and failed with a
/// NullReferenceException in a two-thread benchmark; this test did not reproduce that, the
/// two-thread console loop did within seconds.
/// </summary>
[Trait("Category", "Stress")]
public sealed class TrimStressTests
{
    private const int Writers = 4;
    private const int Readers = 2;
    private const int PerWriter = 20_000;

    [Fact]
    public void Increments_WhileSnapshotsComeAndGo_AllLandAndEverySnapshotStaysConsistent()
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
#pragma warning disable STM0003 // counts what every attempt saw, aborted ones too: that count is what the test checks
                        Interlocked.Increment(ref staleReads);
#pragma warning restore STM0003
                    }
                });
            }
        });

        Assert.Equal(Writers * PerWriter, counter.Value);
        Assert.Equal(0, staleReads);
    }
}
