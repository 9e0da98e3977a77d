using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// A channel must not keep items alive that no reader can reach. Old versions are kept while any
/// running transaction might read them, so a test elsewhere holding a snapshot open (and its
/// channel's start) would keep them alive too: these run alone, in the sequential collection.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class TChannelMemoryTests
{
    [Fact]
    public void Write_WithNoReaders_KeepsNoItemAlive()
    {
        var channel = new TChannel<object>();
        var written = WriteUnreferenced(channel);

        // Later writes move the channel's end on. Old versions of its TVar are kept only while some
        // transaction might still read them (the engine prunes them lazily, so keep working a while):
        // the item must become garbage, not accumulate.
        Assert.True(
            BecomesGarbage(written, round => channel.Write(round)),
            "A channel with no readers kept an item alive.");

        static WeakReference<object> WriteUnreferenced(TChannel<object> channel)
        {
            var item = new object();
            channel.Write(item);
            return new WeakReference<object>(item);
        }
    }

    [Fact]
    public void Write_DroppedReader_NoLongerKeepsItsItemsAlive()
    {
        var channel = new TChannel<object>();
        var kept = channel.Subscribe();
        var written = WriteForDroppedReader(channel);

        // The kept reader moves past the item and keeps reading; the other reader is dropped.
        Assert.True(
            BecomesGarbage(written, round =>
            {
                channel.Write(round);
                Assert.True(kept.TryRead(out _));
            }),
            "An item stayed alive after one reader moved past it and the other was dropped.");
        Assert.Equal(1, kept.Count);

        static WeakReference<object> WriteForDroppedReader(TChannel<object> channel)
        {
            var dropped = channel.Subscribe();
            var item = new object();
            channel.Write(item);
            Assert.Same(item, dropped.Peek());
            return new WeakReference<object>(item);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> for up to 2,000 rounds, collecting garbage every 100, and says
    /// whether <paramref name="target"/> was collected: bounded, so an item kept forever fails.
    /// </summary>
    private static bool BecomesGarbage(WeakReference<object> target, Action<int> work)
    {
        for (int round = 0; round < 2000; round++)
        {
            work(round);
            if (round % 100 == 99)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                if (!target.TryGetTarget(out _))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
