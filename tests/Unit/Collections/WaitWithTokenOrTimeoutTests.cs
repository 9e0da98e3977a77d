using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// The waiting members of TMVar and TSemaphore that take a cancellation token or a timeout, and the
/// rules every such member shares (the queue and channel forms are tested with their completion):
/// nothing happens when they give up, no wait registration is left behind, and inside a transaction
/// they refuse, because the token or timeout belongs on the outermost <c>Atomic.Run</c>/<c>TryRun</c>.
/// </summary>
public sealed class WaitWithTokenOrTimeoutTests
{
    /// <summary>Every waiting member with a token or a timeout, called on a collection that can serve it.</summary>
    public static TheoryData<string> Members() =>
    [
        "TQueue.Dequeue(token)",
        "TQueue.TryDequeue(timeout)",
        "TBoundedQueue.Dequeue(token)",
        "TBoundedQueue.TryDequeue(timeout)",
        "TBoundedQueue.Enqueue(token)",
        "TBoundedQueue.TryEnqueue(timeout)",
        "TMVar.Take(token)",
        "TMVar.TryTake(timeout)",
        "TMVar.Put(token)",
        "TMVar.TryPut(timeout)",
        "TSemaphore.Wait(token)",
        "TSemaphore.Wait(timeout)",
        "TChannelReader.Read(token)",
        "TChannelReader.TryRead(timeout)",
    ];

    /// <summary>The members that take a timeout.</summary>
    public static TheoryData<string> TimeoutMembers()
    {
        var members = new TheoryData<string>();
        foreach (string member in Members())
        {
            if (member.Contains("timeout", StringComparison.Ordinal))
            {
                members.Add(member);
            }
        }

        return members;
    }

    [Theory]
    [MemberData(nameof(Members))]
    public void Member_InsideATransaction_ThrowsInvalidOperationNamingTheOutermostRun(string member)
    {
        var other = new TVar<int>(0, "other");
        Action call = Ready(member);

        var error = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            other.Value = 1;
            call();
        }));

        Assert.Contains("cannot be called inside a transaction", error.Message, StringComparison.Ordinal);
        Assert.Contains("outermost Atomic.Run or Atomic.TryRun", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, other.Value);
    }

    [Theory]
    [MemberData(nameof(Members))]
    public void Member_OutsideATransactionWhenItNeedNotWait_Succeeds(string member) => Ready(member)();

    [Theory]
    [MemberData(nameof(TimeoutMembers))]
    public void Member_NegativeTimeout_ThrowsArgumentOutOfRange(string member)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(Ready(member, TimeSpan.FromMilliseconds(-5)));
        Assert.Equal("timeout", error.ParamName);
    }

    [Fact]
    public void TMVarTakeWithToken_FilledWhileParked_ReturnsTheValue()
    {
        var box = new TMVar<string>();
        using var cts = new CancellationTokenSource();
        string? taken = null;
        var thread = TestThread.Start(() => taken = box.Take(cts.Token));
        Bounded.Until(() => Waiters.Count(box) > 0, "the taker to park");

        box.Put("v");
        thread.Join();

        Assert.Equal("v", taken);
        Assert.True(box.IsEmpty);
        Assert.Equal(0, Waiters.Count(box));
    }

    [Fact]
    public void TMVarTakeWithToken_CancelledWhileParked_ThrowsTakesNothingAndLeavesNoWaiter()
    {
        var box = new TMVar<string>();
        using var cts = new CancellationTokenSource();
        var thread = TestThread.Start(() => box.Take(cts.Token));
        Bounded.Until(() => Waiters.Count(box) > 0, "the taker to park");

        cts.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(thread.JoinCapturing());
        Assert.Equal(0, Waiters.Count(box));
        box.Put("later");
        Assert.Equal("later", box.Read());
    }

    [Fact]
    public void TMVarTryTakeWithTimeout_StaysEmptyOrFilledWhileParked_ReturnsAccordingly()
    {
        var box = new TMVar<int>();
        Assert.False(box.TryTake(TimeSpan.FromMilliseconds(50), out int none));
        Assert.Equal(0, none);
        Assert.Equal(0, Waiters.Count(box));

        bool found = false;
        int taken = 0;
        var thread = TestThread.Start(() => found = box.TryTake(Bounded.Limit, out taken));
        Bounded.Until(() => Waiters.Count(box) > 0, "the taker to park");
        box.Put(6);
        thread.Join();

        Assert.True(found);
        Assert.Equal(6, taken);
        Assert.True(box.IsEmpty);
    }

    [Fact]
    public void TMVarPutWithToken_CancelledWhileParked_ThrowsPutsNothingAndLeavesNoWaiter()
    {
        var box = new TMVar<int>(1);
        using var cts = new CancellationTokenSource();
        var thread = TestThread.Start(() => box.Put(2, cts.Token));
        Bounded.Until(() => Waiters.Count(box) > 0, "the putter to park");

        cts.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(thread.JoinCapturing());
        Assert.Equal(0, Waiters.Count(box));
        Assert.Equal(1, box.Take());
        Assert.True(box.IsEmpty);
    }

    [Fact]
    public void TMVarPutWithToken_EmptiedWhileParked_PutsTheValue()
    {
        var box = new TMVar<int>(1);
        using var cts = new CancellationTokenSource();
        var thread = TestThread.Start(() => box.Put(2, cts.Token));
        Bounded.Until(() => Waiters.Count(box) > 0, "the putter to park");

        Assert.Equal(1, box.Take());
        thread.Join();

        Assert.Equal(2, box.Read());
    }

    [Fact]
    public void TMVarPutWithToken_AlreadyCancelled_ThrowsEvenOnAnEmptyBox()
    {
        var box = new TMVar<int>();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => box.Put(1, cts.Token));
        Assert.True(box.IsEmpty);
    }

    [Fact]
    public void TMVarTryPutWithTimeout_StaysFullOrEmptiedWhileParked_ReturnsAccordingly()
    {
        var box = new TMVar<int>(1);
        Assert.False(box.TryPut(2, TimeSpan.Zero));
        Assert.False(box.TryPut(2, TimeSpan.FromMilliseconds(50)));
        Assert.Equal(0, Waiters.Count(box));
        Assert.Equal(1, box.Read());

        bool put = false;
        var thread = TestThread.Start(() => put = box.TryPut(3, Bounded.Limit));
        Bounded.Until(() => Waiters.Count(box) > 0, "the putter to park");
        Assert.Equal(1, box.Take());
        thread.Join();

        Assert.True(put);
        Assert.Equal(3, box.Read());
    }

    [Fact]
    public void TSemaphoreWaitWithToken_ReleasedOrCancelledWhileParked_TakesAPermitOrNothing()
    {
        var semaphore = new TSemaphore(0);
        using var cts = new CancellationTokenSource();
        var released = TestThread.Start(() => semaphore.Wait(cts.Token));
        Bounded.Until(() => Waiters.Count(semaphore) > 0, "the first waiter to park");
        semaphore.Release();
        released.Join();
        Assert.Equal(0, semaphore.CurrentCount);

        var cancelled = TestThread.Start(() => semaphore.Wait(cts.Token));
        Bounded.Until(() => Waiters.Count(semaphore) > 0, "the second waiter to park");
        cts.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(cancelled.JoinCapturing());
        Assert.Equal(0, Waiters.Count(semaphore));
        semaphore.Release();
        Assert.Equal(1, semaphore.CurrentCount);
    }

    [Fact]
    public void TSemaphoreWaitWithTimeout_NoPermitOrReleasedWhileParked_ReturnsAccordingly()
    {
        var semaphore = new TSemaphore(0);
        Assert.False(semaphore.Wait(TimeSpan.Zero));
        Assert.False(semaphore.Wait(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(0, Waiters.Count(semaphore));

        bool acquired = false;
        var thread = TestThread.Start(() => acquired = semaphore.Wait(Bounded.Limit));
        Bounded.Until(() => Waiters.Count(semaphore) > 0, "the waiter to park");
        semaphore.Release(2);
        thread.Join();

        Assert.True(acquired);
        Assert.Equal(1, semaphore.CurrentCount);
    }

    /// <summary>A call of <paramref name="member"/> that can complete at once (an item, room or a permit is there).</summary>
    private static Action Ready(string member) => Ready(member, TimeSpan.FromSeconds(1));

    private static Action Ready(string member, TimeSpan timeout)
    {
        var token = CancellationToken.None;
        switch (member)
        {
            case "TQueue.Dequeue(token)":
                return () => Assert.Equal(1, new TQueue<int>([1]).Dequeue(token));
            case "TQueue.TryDequeue(timeout)":
                return () => Assert.True(new TQueue<int>([1]).TryDequeue(timeout, out _));
            case "TBoundedQueue.Dequeue(token)":
                return () => Assert.Equal(1, BoundedWith(1).Dequeue(token));
            case "TBoundedQueue.TryDequeue(timeout)":
                return () => Assert.True(BoundedWith(1).TryDequeue(timeout, out _));
            case "TBoundedQueue.Enqueue(token)":
                return () => new TBoundedQueue<int>(1).Enqueue(1, token);
            case "TBoundedQueue.TryEnqueue(timeout)":
                return () => Assert.True(new TBoundedQueue<int>(1).TryEnqueue(1, timeout));
            case "TMVar.Take(token)":
                return () => Assert.Equal(1, new TMVar<int>(1).Take(token));
            case "TMVar.TryTake(timeout)":
                return () => Assert.True(new TMVar<int>(1).TryTake(timeout, out _));
            case "TMVar.Put(token)":
                return () => new TMVar<int>().Put(1, token);
            case "TMVar.TryPut(timeout)":
                return () => Assert.True(new TMVar<int>().TryPut(1, timeout));
            case "TSemaphore.Wait(token)":
                return () => new TSemaphore(1).Wait(token);
            case "TSemaphore.Wait(timeout)":
                return () => Assert.True(new TSemaphore(1).Wait(timeout));
            case "TChannelReader.Read(token)":
                return () => Assert.Equal(1, ChannelReaderWith(1).Read(token));
            case "TChannelReader.TryRead(timeout)":
                return () => Assert.True(ChannelReaderWith(1).TryRead(timeout, out _));
            default:
                throw new ArgumentOutOfRangeException(nameof(member), member, "No arrangement for this member.");
        }
    }

    private static TBoundedQueue<int> BoundedWith(int item)
    {
        var queue = new TBoundedQueue<int>(2);
        queue.Enqueue(item);
        return queue;
    }

    private static TChannelReader<int> ChannelReaderWith(int item)
    {
        var channel = new TChannel<int>();
        var reader = channel.Subscribe();
        channel.Write(item);
        return reader;
    }
}
