using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TMVarTests
{
    [Fact]
    public void Constructors_MakeEmptyOrFullBoxes()
    {
        Assert.True(new TMVar<int>().IsEmpty);
        var full = new TMVar<string>("x");
        Assert.False(full.IsEmpty);
        Assert.Equal("x", full.Read());
    }

    [Fact]
    public void TakeAndPut_RoundTrip()
    {
        var box = new TMVar<int>(1);
        Assert.Equal(1, box.Take());
        Assert.True(box.IsEmpty);
        box.Put(2);
        Assert.False(box.IsEmpty);
        Assert.Equal(2, box.Read());
        Assert.False(box.IsEmpty);
    }

    [Fact]
    public void TryMembers_NeverRetry()
    {
        var box = new TMVar<int>();
        Assert.False(box.TryTake(out int taken));
        Assert.Equal(0, taken);
        Assert.False(box.TryRead(out _));
        Assert.True(box.TryPut(3));
        Assert.False(box.TryPut(4));
        Assert.True(box.TryRead(out int read));
        Assert.Equal(3, read);
        Assert.True(box.TryTake(out taken));
        Assert.Equal(3, taken);
        Assert.True(box.IsEmpty);
    }

    [Fact]
    public void Swap_Full_ReplacesAndReturnsOld()
    {
        var box = new TMVar<int>(1);
        Assert.Equal(1, box.Swap(2));
        Assert.Equal(2, box.Read());
    }

    [Fact]
    public void TakeAndSwap_EmptyInsideTryRun_TimeOut()
    {
        var box = new TMVar<int>();
        Assert.False(Atomic.TryRun(box.Take, TimeSpan.FromMilliseconds(30), out _));
        Assert.False(Atomic.TryRun(() => box.Swap(1), TimeSpan.FromMilliseconds(30), out _));
        Assert.False(Atomic.TryRun(box.Read, TimeSpan.FromMilliseconds(30), out _));
        Assert.True(box.IsEmpty);
    }

    [Fact]
    public void Put_FullInsideTryRun_TimesOutAndChangesNothing()
    {
        var box = new TMVar<int>(1);
        Assert.False(Atomic.TryRun(() => box.Put(2), TimeSpan.FromMilliseconds(30)));
        Assert.Equal(1, box.Read());
    }

    [Fact]
    public void Take_InTransactionThatThrows_LeavesTheBoxFull()
    {
        var box = new TMVar<int>(1);
        Assert.Throws<InvalidTimeZoneException>(() => Atomic.Run(() =>
        {
            box.Take();
            throw new InvalidTimeZoneException();
        }));
        Assert.Equal(1, box.Read());
    }

    [Fact]
    public async Task Take_ParkedOnEmptyBox_IsWokenByPut()
    {
        var box = new TMVar<int>();
        using var rolledBack = new ManualResetEventSlim();
        var taker = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(box.Take, rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the taker to retry on the empty box");

        box.Put(7);

        Assert.Equal(7, await taker.WaitAsync(WaitHarness.Timeout));
        Assert.True(box.IsEmpty);
    }

    [Fact]
    public async Task Put_ParkedOnFullBox_IsWokenByTake()
    {
        var box = new TMVar<int>(1);
        using var rolledBack = new ManualResetEventSlim();
        var putter = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(
            () =>
            {
                box.Put(2);
                return true;
            },
            rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the putter to retry on the full box");

        Assert.Equal(1, box.Take());

        Assert.True(await putter.WaitAsync(WaitHarness.Timeout));
        Assert.Equal(2, box.Read());
    }

    [Fact]
    public async Task TakeAndPut_HandOffBetweenThreads_PassesEveryValueOnceInOrder()
    {
        // Two boxes as a ping-pong: the server takes a request and puts the reply.
        const int Rounds = 200;
        var requests = new TMVar<int>();
        var replies = new TMVar<int>();
        var server = WaitHarness.StartThread(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                replies.Put(requests.Take() * 2);
            }
        });
        var received = new List<int>();
        for (int i = 0; i < Rounds; i++)
        {
            requests.Put(i);
            received.Add(replies.Take());
        }

        await server.WaitAsync(WaitHarness.Timeout);
        Assert.Equal(Enumerable.Range(0, Rounds).Select(i => i * 2), received);
        Assert.True(requests.IsEmpty);
        Assert.True(replies.IsEmpty);
    }

    [Fact]
    public async Task AsyncMembers_WaitWithoutAThreadAndHonourCancellation()
    {
        var box = new TMVar<int>();
        var take = box.TakeAsync().AsTask();
        Assert.False(take.IsCompleted);
        await box.PutAsync(5);
        Assert.Equal(5, await take.WaitAsync(WaitHarness.Timeout));

        var read = box.ReadAsync().AsTask();
        Assert.False(read.IsCompleted);
        box.Put(6);
        Assert.Equal(6, await read.WaitAsync(WaitHarness.Timeout));

        using var cancellation = new CancellationTokenSource();
        var put = box.PutAsync(7, cancellation.Token).AsTask();
        Assert.False(put.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put.WaitAsync(WaitHarness.Timeout));
        Assert.Equal(6, box.Take());
        Assert.True(box.IsEmpty);
    }

    [Fact]
    public void AsyncMembers_InsideTransaction_ThrowInvalidOperation()
    {
        var box = new TMVar<int>(1);
        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => WaitHarness.Discard(box.TakeAsync())));
        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => WaitHarness.Discard(box.ReadAsync())));
        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => WaitHarness.Discard(box.PutAsync(2))));
        Assert.Equal(1, box.Read());
    }
}
