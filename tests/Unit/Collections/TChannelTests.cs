using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TChannelTests
{
    [Fact]
    public void Write_SeveralReaders_EachSeesEveryItemInOrder()
    {
        var channel = new TChannel<int>();
        var readers = Enumerable.Range(0, 3).Select(_ => channel.Subscribe()).ToArray();
        for (int i = 0; i < 5; i++)
        {
            channel.Write(i);
        }

        foreach (var reader in readers)
        {
            Assert.Equal(5, reader.Count);
            Assert.Equal([0, 1, 2, 3, 4], Enumerable.Range(0, 5).Select(_ => reader.Read()));
            Assert.True(reader.IsEmpty);
            Assert.False(reader.TryRead(out _));
        }
    }

    [Fact]
    public void Subscribe_AfterWrites_SeesOnlyLaterItems()
    {
        var channel = new TChannel<string>();
        var early = channel.Subscribe();
        channel.Write("before");
        var late = channel.Subscribe();
        channel.Write("after");

        Assert.Equal("before", early.Read());
        Assert.Equal("after", early.Read());
        Assert.Equal("after", late.Read());
        Assert.True(late.IsEmpty);
    }

    [Fact]
    public void Subscribe_InsideTransactionBeforeItsOwnWrite_SeesThatWrite()
    {
        var channel = new TChannel<int>();
        channel.Write(1);
        var reader = Atomic.Run(() =>
        {
            var subscribed = channel.Subscribe();
            channel.Write(2);
            return subscribed;
        });
        Assert.Equal(2, reader.Read());
        Assert.True(reader.IsEmpty);
    }

    [Fact]
    public void Read_ReadersAreIndependent()
    {
        var channel = new TChannel<int>();
        var fast = channel.Subscribe();
        var slow = channel.Subscribe();
        channel.Write(1);
        channel.Write(2);
        Assert.Equal(1, fast.Read());
        Assert.Equal(2, fast.Read());
        Assert.True(slow.TryPeek(out int front));
        Assert.Equal(1, front);
        Assert.Equal(1, slow.Peek());
        Assert.Equal(2, slow.Count);
    }

    [Fact]
    public void Clone_StartsAtTheSourcePosition()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        channel.Write(1);
        channel.Write(2);
        reader.Read();
        var clone = reader.Clone();
        channel.Write(3);
        Assert.Equal([2, 3], new[] { clone.Read(), clone.Read() });
        Assert.Equal([2, 3], new[] { reader.Read(), reader.Read() });
    }

    [Fact]
    public void Read_InTransactionThatThrows_DoesNotMoveTheReader()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        channel.Write(1);
        Assert.Throws<InvalidTimeZoneException>(() => Atomic.Run(() =>
        {
            reader.Read();
            channel.Write(2);
            throw new InvalidTimeZoneException();
        }));
        Assert.Equal(1, reader.Count);
        Assert.Equal(1, reader.Read());
    }

    [Fact]
    public async Task Read_ParkedReader_IsWokenByWrite()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        using var rolledBack = new ManualResetEventSlim();
        var task = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(reader.Read, rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the reader to retry with nothing new");
        Assert.False(task.IsCompleted);

        channel.Write(5);

        Assert.Equal(5, await task.WaitAsync(WaitHarness.Timeout));
    }

    [Fact]
    public async Task Read_OrElseOverTwoReaders_TakesFromTheOneWithAnItem()
    {
        var first = new TChannel<int>();
        var second = new TChannel<int>();
        var a = first.Subscribe();
        var b = second.Subscribe();
        using var rolledBack = new ManualResetEventSlim();
        var task = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(() => Atomic.OrElse(a.Read, b.Read), rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the reader to retry on both channels");

        second.Write(2);

        Assert.Equal(2, await task.WaitAsync(WaitHarness.Timeout));
    }

    [Fact]
    public void Read_TryRunWithNothingNew_TimesOut()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        Assert.False(Atomic.TryRun(reader.Read, TimeSpan.FromMilliseconds(50), out _));
    }

    [Fact]
    public async Task ReadAsync_Pending_CompletesOnWrite_AndCancellationReadsNothing()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        var pending = reader.ReadAsync().AsTask();
        Assert.False(pending.IsCompleted);
        channel.Write(1);
        Assert.Equal(1, await pending.WaitAsync(WaitHarness.Timeout));

        using var cancellation = new CancellationTokenSource();
        var cancelled = reader.ReadAsync(cancellation.Token).AsTask();
        Assert.False(cancelled.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(WaitHarness.Timeout));
        channel.Write(2);
        Assert.Equal(2, reader.Read());
    }

    [Fact]
    public void ReadAsync_InsideTransaction_ThrowsInvalidOperation()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        var error = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => WaitHarness.Discard(reader.ReadAsync())));
        Assert.Contains(".Read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DebugView_ShowsUnreadItems()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        channel.Write(1);
        channel.Write(2);
        Assert.Equal([1, 2], new CollectionDebugView<int>(reader).Items);
    }
}
