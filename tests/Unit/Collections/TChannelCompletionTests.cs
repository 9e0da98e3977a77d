using System.Threading.Channels;
using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// Completion of a broadcast channel: every reader still reads every item written before it, then
/// its waiting members throw <see cref="ChannelClosedException"/> and its consuming enumerations end.
/// Also the reader's waiting members with a token or a timeout.
/// </summary>
public sealed class TChannelCompletionTests
{
    [Fact]
    public void Write_AfterComplete_ThrowsInvalidOperationAndWritesNothing()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        channel.Complete();

        var error = Assert.Throws<InvalidOperationException>(() => channel.Write(1));
        Assert.Contains("TChannel<T> was completed", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => channel.Write(2)));
        Assert.True(channel.IsCompleted);
        Assert.Equal(0, reader.Count);
    }

    [Fact]
    public async Task Read_AfterComplete_EveryReaderGetsEveryEarlierItemThenChannelClosed()
    {
        var channel = new TChannel<int>();
        var readers = Enumerable.Range(0, 3).Select(_ => channel.Subscribe()).ToArray();
        channel.Write(1);
        channel.Write(2);
        channel.Complete();
        channel.Complete();

        foreach (var reader in readers)
        {
            Assert.Equal(1, reader.Peek());
            Assert.Equal(1, reader.Read());
            Assert.Equal(2, reader.Read());
            var error = Assert.Throws<ChannelClosedException>(() => reader.Read());
            Assert.Contains("TChannelReader<T>.Read", error.Message, StringComparison.Ordinal);
            Assert.Throws<ChannelClosedException>(() => reader.Peek());
            Assert.Throws<ChannelClosedException>(() => reader.Read(CancellationToken.None));
            Assert.Throws<ChannelClosedException>(() => Atomic.Run(() => reader.Read()));
            await Assert.ThrowsAsync<ChannelClosedException>(async () => await reader.ReadAsync());
            Assert.False(reader.TryRead(out _));
            Assert.False(reader.TryRead(Timeout.InfiniteTimeSpan, out _));
        }
    }

    [Fact]
    public void Subscribe_AfterComplete_ReaderHasNothingAndIsClosed()
    {
        var channel = new TChannel<int>();
        channel.Write(1);
        channel.Complete();
        var late = channel.Subscribe();

        Assert.Throws<ChannelClosedException>(() => late.Read());
        Assert.Empty(late.GetConsumingEnumerable());
    }

    [Fact]
    public void Complete_InATransactionThatRollsBack_HasNoEffect()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            channel.Complete();
            throw new TestException();
        }));

        Assert.False(channel.IsCompleted);
        channel.Write(3);
        Assert.Equal(3, reader.Read());
    }

    [Fact]
    public void Complete_ComposedWithWritesInOneTransaction_ReadersGetTheWritesThenEnd()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        Atomic.Run(() =>
        {
            channel.Write(1);
            channel.Write(2);
            channel.Complete();
            Assert.True(channel.IsCompleted);
        });

        Assert.Equal([1, 2], reader.GetConsumingEnumerable().ToArray());
    }

    [Fact]
    public async Task Complete_ReadersWaitingOfEveryKind_AreAllWokenWithChannelClosed()
    {
        var channel = new TChannel<int>();
        var blocking = Enumerable.Range(0, 4).Select(_ => channel.Subscribe()).ToArray();
        var threads = blocking.Select(r => TestThread.Start(() => r.Read())).ToArray();
        var asyncReader = channel.Subscribe();
        var pending = asyncReader.ReadAsync().AsTask();
        var enumerated = channel.Subscribe();
        var enumerating = TestThread.Start(() => Assert.Empty(enumerated.GetConsumingEnumerable()));
        Bounded.Until(
            () => blocking.All(r => Waiters.Count(r) > 0) && Waiters.Count(asyncReader) > 0 && Waiters.Count(enumerated) > 0,
            "every reader to wait");

        channel.Complete();

        foreach (var thread in threads)
        {
            Assert.IsType<ChannelClosedException>(thread.JoinCapturing());
        }

        enumerating.Join();
        await Assert.ThrowsAsync<ChannelClosedException>(() => pending.WaitAsync(Bounded.Limit));
        Assert.All(blocking.Append(asyncReader).Append(enumerated), r => Assert.Equal(0, Waiters.Count(r)));
        Assert.Equal(0, Waiters.Count(channel));
    }

    [Fact]
    public async Task ReadAllAsync_WaitingForItems_YieldsThemAndEndsOnComplete()
    {
        var channel = new TChannel<string>();
        var reader = channel.Subscribe();
        var reading = Task.Run(async () =>
        {
            var items = new List<string>();
            await foreach (string item in reader.ReadAllAsync())
            {
                items.Add(item);
            }

            return items;
        });

        channel.Write("a");
        channel.Write("b");
        channel.Complete();

        Assert.Equal(["a", "b"], await reading.WaitAsync(Bounded.Limit));
    }

    [Fact]
    public void GetConsumingEnumerable_CancelledWhileWaiting_ThrowsAndLeavesTheReaderWhereItWas()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        using var cts = new CancellationTokenSource();
        var consumer = TestThread.Start(() => Assert.Empty(reader.GetConsumingEnumerable(cts.Token)));
        Bounded.Until(() => Waiters.Count(reader) > 0, "the reader to park");

        cts.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(consumer.JoinCapturing());
        Assert.Equal(0, Waiters.Count(reader));
        Assert.Equal(0, Waiters.Count(channel));
        channel.Write(1);
        Assert.Equal(1, reader.Read());
    }

    [Fact]
    public void ReadWithToken_ItemWrittenWhileParked_ReturnsIt()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        using var cts = new CancellationTokenSource();
        int read = 0;
        var thread = TestThread.Start(() => read = reader.Read(cts.Token));
        Bounded.Until(() => Waiters.Count(reader) > 0, "the reader to park");

        channel.Write(8);
        thread.Join();

        Assert.Equal(8, read);
        Assert.Equal(0, Waiters.Count(reader));
    }

    [Fact]
    public void ReadWithToken_CancelledWhileParked_ThrowsReadsNothingAndLeavesNoWaiter()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        using var cts = new CancellationTokenSource();
        var thread = TestThread.Start(() => reader.Read(cts.Token));
        Bounded.Until(() => Waiters.Count(reader) > 0, "the reader to park");

        cts.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(thread.JoinCapturing());
        Assert.Equal(0, Waiters.Count(reader));
        Assert.Equal(0, Waiters.Count(channel));
        channel.Write(1);
        Assert.Equal(1, reader.Count);
    }

    [Fact]
    public void TryReadWithTimeout_NothingWritten_ReturnsFalseAndLeavesNoWaiter()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        Assert.False(reader.TryRead(TimeSpan.FromMilliseconds(50), out int item));
        Assert.Equal(0, item);
        Assert.Equal(0, Waiters.Count(reader));
        Assert.Equal(0, Waiters.Count(channel));

        channel.Write(2);
        Assert.True(reader.TryRead(TimeSpan.Zero, out item));
        Assert.Equal(2, item);
    }

    [Fact]
    public void TryReadWithTimeout_ParkedWhenCompleted_ReturnsFalse()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        bool found = true;
        var thread = TestThread.Start(() => found = reader.TryRead(Timeout.InfiniteTimeSpan, out _));
        Bounded.Until(() => Waiters.Count(reader) > 0, "the reader to park");

        channel.Complete();
        thread.Join();

        Assert.False(found);
        Assert.Equal(0, Waiters.Count(reader));
        Assert.Equal(0, Waiters.Count(channel));
    }

    [Fact]
    public void ReadWithTokenOrTimeout_InsideATransactionOrWithANegativeTimeout_Throws()
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        channel.Write(1);

        var withToken = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => reader.Read(CancellationToken.None)));
        Assert.Contains("TChannelReader<T>.Read(CancellationToken)", withToken.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => reader.TryRead(TimeSpan.Zero, out _)));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.TryRead(TimeSpan.FromTicks(-1), out _));
        Assert.Equal(1, reader.Count);
    }
}
