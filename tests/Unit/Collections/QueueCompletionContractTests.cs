using System.Diagnostics;
using System.Threading.Channels;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// Completion, the consuming enumerations and the waiting members with a token or a timeout, shared
/// by TQueue and TBoundedQueue and run once per type by a small subclass. Queues made by
/// <see cref="CreateQueue"/> hold at least 100 items.
/// </summary>
public abstract class QueueCompletionContractTests
{
    protected abstract ICompletableTestQueue CreateQueue();

    [Fact]
    public void Complete_EmptyQueue_IsCompletedAndWaitingMembersThrowChannelClosed()
    {
        var queue = CreateQueue();
        Assert.False(queue.IsCompleted);

        queue.Complete();

        Assert.True(queue.IsCompleted);
        var error = Assert.Throws<ChannelClosedException>(() => queue.Dequeue());
        Assert.Contains("Complete was called", error.Message, StringComparison.Ordinal);
        Assert.Contains("TryDequeue", error.Message, StringComparison.Ordinal);
        Assert.Throws<ChannelClosedException>(() => queue.Peek());
        Assert.Throws<ChannelClosedException>(() => queue.Dequeue(CancellationToken.None));
        Assert.Throws<ChannelClosedException>(() => Atomic.Run(() => queue.Dequeue()));
        Assert.False(queue.TryDequeue(out int item));
        Assert.Equal(0, item);
    }

    [Fact]
    public async Task DequeueAsync_CompletedAndEmpty_FaultsWithChannelClosed()
    {
        var queue = CreateQueue();
        queue.Complete();
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await queue.DequeueAsync());
    }

    [Fact]
    public void Complete_CalledAgainOutsideAndInsideATransaction_IsIdempotent()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        queue.Complete();
        queue.Complete();
        Atomic.Run(() =>
        {
            queue.Complete();
            queue.Complete();
        });

        Assert.True(queue.IsCompleted);
        Assert.Equal(1, queue.Dequeue());
        Assert.Throws<ChannelClosedException>(() => queue.Dequeue());
    }

    [Fact]
    public void Enqueue_AfterComplete_ThrowsInvalidOperationAndAddsNothing()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        queue.Complete();

        var error = Assert.Throws<InvalidOperationException>(() => queue.Enqueue(2));
        Assert.Contains("was completed", error.Message, StringComparison.Ordinal);
        var other = new TVar<int>(0, "other");
        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            other.Value = 1;
            queue.Enqueue(3);
        }));

        Assert.Equal(0, other.Value);
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public void Dequeue_AfterComplete_DeliversEveryEarlierItemInOrderThenThrows()
    {
        var queue = CreateQueue();
        for (int i = 0; i < 5; i++)
        {
            queue.Enqueue(i);
        }

        queue.Complete();

        Assert.Equal(5, queue.Count);
        Assert.Equal(0, queue.Dequeue());
        Assert.True(queue.TryDequeue(out int second));
        Assert.Equal(1, second);
        Assert.Equal(2, queue.Peek());
        Assert.Equal(2, queue.Dequeue(CancellationToken.None));
        Assert.True(queue.TryDequeue(TimeSpan.Zero, out int fourth));
        Assert.Equal(3, fourth);
        Assert.Equal(4, Atomic.Run(() => queue.Dequeue()));
        Assert.Throws<ChannelClosedException>(() => queue.Dequeue());
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Dequeue_InsideATransactionOnACompletedEmptyQueue_ThrowsAndRollsTheTransactionBack()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        queue.Complete();
        var other = new TVar<int>(0, "other");

        Assert.Throws<ChannelClosedException>(() => Atomic.Run(() =>
        {
            other.Value = 1;
            queue.Dequeue();
            queue.Dequeue();
        }));

        Assert.Equal(0, other.Value);
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public void Complete_InATransactionThatRollsBack_HasNoEffect()
    {
        var queue = CreateQueue();
        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            queue.Complete();
            Assert.True(queue.IsCompleted);
            throw new TestException();
        }));

        Assert.False(queue.IsCompleted);
        queue.Enqueue(7);
        Assert.Equal(7, queue.Dequeue());
    }

    [Fact]
    public void Complete_InAnOrElseBranchThatRetries_HasNoEffect()
    {
        var queue = CreateQueue();
        var gate = new TVar<bool>(false, "gate");
        string chosen = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                queue.Complete();
                Atomic.Check(gate.Value);
                return "first";
            },
            () => "second"));

        Assert.Equal("second", chosen);
        Assert.False(queue.IsCompleted);
    }

    [Fact]
    public void Complete_ComposedWithEnqueueInOneTransaction_DeliversTheItemThenEnds()
    {
        var queue = CreateQueue();
        Atomic.Run(() =>
        {
            queue.Enqueue(1);
            queue.Enqueue(2);
            queue.Complete();
            Assert.True(queue.IsCompleted);
        });

        Assert.Equal([1, 2], queue.GetConsumingEnumerable().ToArray());
        Assert.Throws<ChannelClosedException>(() => queue.Dequeue());
    }

    [Fact]
    public void Enqueue_AfterCompleteInTheSameTransaction_ThrowsAndNothingCommits()
    {
        var queue = CreateQueue();
        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            queue.Complete();
            queue.Enqueue(1);
        }));

        Assert.False(queue.IsCompleted);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Dequeue_WaiterParkedOnEmptyQueue_IsWokenByCompleteWithChannelClosed()
    {
        var queue = CreateQueue();
        var waiter = TestThread.Start(() => queue.Dequeue());
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the consumer to park");

        queue.Complete();

        Assert.IsType<ChannelClosedException>(waiter.JoinCapturing());
        Assert.Equal(0, Waiters.Count(queue.Queue));
    }

    [Fact]
    public void Dequeue_WaiterParkedInsideItsOwnTransaction_IsWokenByCompleteAndRollsBack()
    {
        var queue = CreateQueue();
        var other = new TVar<int>(0, "other");
        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
            other.Value = 1;
            return queue.Dequeue();
        }));
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the consumer to park");

        queue.Complete();

        Assert.IsType<ChannelClosedException>(waiter.JoinCapturing());
        Assert.Equal(0, other.Value);
        Assert.Equal(0, Waiters.Count(queue.Queue));
    }

    [Fact]
    public async Task DequeueAsync_PendingOnEmptyQueue_FaultsWithChannelClosedOnComplete()
    {
        var queue = CreateQueue();
        var pending = queue.DequeueAsync().AsTask();
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the asynchronous consumer to wait");
        Assert.False(pending.IsCompleted);

        queue.Complete();

        await Assert.ThrowsAsync<ChannelClosedException>(() => pending.WaitAsync(Bounded.Limit));
        Assert.Equal(0, Waiters.Count(queue.Queue));
    }

    [Fact]
    public async Task Complete_ManyWaitersOfEveryKind_WakesThemAll()
    {
        const int Threads = 4;
        var queue = CreateQueue();
        var blocked = Enumerable.Range(0, Threads).Select(i => TestThread.Start(() => queue.Dequeue(), $"consumer {i}")).ToArray();
        using var cts = new CancellationTokenSource();
        var withToken = TestThread.Start(() => queue.Dequeue(cts.Token), "consumer with a token");
        var asynchronous = Enumerable.Range(0, 2).Select(_ => queue.DequeueAsync().AsTask()).ToArray();
        var enumerating = TestThread.Start(() => Assert.Empty(queue.GetConsumingEnumerable()), "enumerating consumer");
        Bounded.Until(() => blocked.All(t => t.IsBlocked) && withToken.IsBlocked && enumerating.IsBlocked, "every consumer to park");

        queue.Complete();

        foreach (var thread in blocked.Append(withToken))
        {
            Assert.IsType<ChannelClosedException>(thread.JoinCapturing());
        }

        enumerating.Join();
        foreach (var task in asynchronous)
        {
            await Assert.ThrowsAsync<ChannelClosedException>(() => task.WaitAsync(Bounded.Limit));
        }

        Assert.Equal(0, Waiters.Count(queue.Queue));
    }

    [Fact]
    public void GetConsumingEnumerable_AfterCompleteAndDrain_EndsWithEveryItemInOrder()
    {
        var queue = CreateQueue();
        for (int i = 0; i < 10; i++)
        {
            queue.Enqueue(i);
        }

        queue.Complete();

        Assert.Equal(Enumerable.Range(0, 10), queue.GetConsumingEnumerable());
        Assert.Empty(queue.GetConsumingEnumerable());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void GetConsumingEnumerable_TakesOneItemPerStepAndLeavesTheRest()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        queue.Enqueue(2);
        queue.Enqueue(3);

        using (var enumerator = queue.GetConsumingEnumerable().GetEnumerator())
        {
            Assert.True(enumerator.MoveNext());
            Assert.Equal(1, enumerator.Current);
            Assert.Equal(2, queue.Count);
        }

        Assert.Equal([2, 3], queue.ToArray());
    }

    [Fact]
    public void GetConsumingEnumerable_WhileAProducerRuns_YieldsEveryItemThenEndsOnComplete()
    {
        const int Items = 300;
        var queue = CreateQueue();
        var consumed = new List<int>();
        using var firstTaken = new ManualResetEventSlim();
        var consumer = TestThread.Start(() =>
        {
            foreach (int item in queue.GetConsumingEnumerable())
            {
                consumed.Add(item);
                firstTaken.Set();
            }
        });

        queue.Enqueue(0);
        Bounded.Wait(firstTaken, "the consumer to take the first item");
        for (int i = 1; i < Items; i++)
        {
            queue.Enqueue(i);
        }

        queue.Complete();
        consumer.Join();

        Assert.Equal(Enumerable.Range(0, Items), consumed);
    }

    [Fact]
    public void GetConsumingEnumerable_CancelledWhileWaiting_ThrowsOperationCanceledAndLeavesNoWaiter()
    {
        var queue = CreateQueue();
        using var cts = new CancellationTokenSource();
        var consumer = TestThread.Start(() =>
        {
            foreach (int item in queue.GetConsumingEnumerable(cts.Token))
            {
                Assert.Fail($"took {item} from an empty queue");
            }
        });
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the consumer to park");

        cts.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(consumer.JoinCapturing());
        Assert.Equal(0, Waiters.Count(queue.Queue));
        queue.Enqueue(5);
        Assert.Equal([5], queue.ToArray());
    }

    [Fact]
    public void GetConsumingEnumerable_TokenAlreadyCancelled_ThrowsWithoutTakingAnItem()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => queue.GetConsumingEnumerable(cts.Token).First());
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public void GetConsumingEnumerable_AdvancedInsideATransaction_ThrowsInvalidOperation()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        var consuming = queue.GetConsumingEnumerable();

        var error = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => consuming.First()));
        Assert.Contains("GetConsumingEnumerable", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, consuming.First());
    }

    [Fact]
    public async Task ReadAllAsync_AfterCompleteAndDrain_EndsWithEveryItemInOrder()
    {
        var queue = CreateQueue();
        for (int i = 0; i < 10; i++)
        {
            queue.Enqueue(i);
        }

        queue.Complete();

        Assert.Equal(Enumerable.Range(0, 10), await Collect(queue.ReadAllAsync()));
        Assert.Empty(await Collect(queue.ReadAllAsync()));
    }

    [Fact]
    public async Task ReadAllAsync_WaitingForItems_YieldsThemAndEndsOnComplete()
    {
        var queue = CreateQueue();
        var reading = Collect(queue.ReadAllAsync());
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the asynchronous consumer to wait");

        queue.Enqueue(1);
        queue.Enqueue(2);
        queue.Complete();

        Assert.Equal([1, 2], await reading.WaitAsync(Bounded.Limit));
        Assert.Equal(0, Waiters.Count(queue.Queue));
    }

    [Fact]
    public async Task ReadAllAsync_CancelledThroughWithCancellation_ThrowsAndLeavesNoWaiter()
    {
        var queue = CreateQueue();
        using var cts = new CancellationTokenSource();
        var reading = Collect(queue.ReadAllAsync().WithCancellation(cts.Token));
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the asynchronous consumer to wait");

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Bounded.Limit));
        Assert.Equal(0, Waiters.Count(queue.Queue));
    }

    [Fact]
    public async Task ReadAllAsync_AdvancedInsideATransaction_ThrowsInvalidOperation()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        await using var enumerator = queue.ReadAllAsync().GetAsyncEnumerator();

        var error = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult()));
        Assert.Contains("ReadAllAsync", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public void DequeueWithToken_ItemAvailable_ReturnsIt()
    {
        var queue = CreateQueue();
        queue.Enqueue(4);
        using var cts = new CancellationTokenSource();
        Assert.Equal(4, queue.Dequeue(cts.Token));
    }

    [Fact]
    public void DequeueWithToken_ItemArrivesWhileParked_ReturnsIt()
    {
        var queue = CreateQueue();
        using var cts = new CancellationTokenSource();
        int taken = 0;
        var consumer = TestThread.Start(() => taken = queue.Dequeue(cts.Token));
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the consumer to park");

        queue.Enqueue(9);
        consumer.Join();

        Assert.Equal(9, taken);
        Assert.Equal(0, Waiters.Count(queue.Queue));
    }

    [Fact]
    public void DequeueWithToken_CancelledWhileParked_ThrowsTakesNothingAndLeavesNoWaiter()
    {
        var queue = CreateQueue();
        using var cts = new CancellationTokenSource();
        var consumer = TestThread.Start(() => queue.Dequeue(cts.Token));
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the consumer to park");

        cts.Cancel();

        var error = Assert.IsAssignableFrom<OperationCanceledException>(consumer.JoinCapturing());
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(0, Waiters.Count(queue.Queue));
        queue.Enqueue(1);
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public void DequeueWithToken_AlreadyCancelled_ThrowsWithoutTakingAnItem()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() => queue.Dequeue(cts.Token));
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public void TryDequeueWithTimeout_ItemAvailableOrArriving_ReturnsTrue()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        Assert.True(queue.TryDequeue(TimeSpan.Zero, out int first));
        Assert.Equal(1, first);

        int second = 0;
        bool found = false;
        var consumer = TestThread.Start(() => found = queue.TryDequeue(Bounded.Limit, out second));
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the consumer to park");
        queue.Enqueue(2);
        consumer.Join();

        Assert.True(found);
        Assert.Equal(2, second);
    }

    [Fact]
    public void TryDequeueWithTimeout_NothingArrives_ReturnsFalseAfterTheTimeoutAndLeavesNoWaiter()
    {
        var queue = CreateQueue();
        var timeout = TimeSpan.FromMilliseconds(100);
        var stopwatch = Stopwatch.StartNew();

        Assert.False(queue.TryDequeue(timeout, out int item));

        // Only a lower bound: a loaded machine may overshoot by any amount.
        Assert.True(stopwatch.Elapsed >= timeout / 2, $"gave up after {stopwatch.Elapsed}, before the timeout of {timeout}");
        Assert.Equal(0, item);
        Assert.Equal(0, Waiters.Count(queue.Queue));
        Assert.False(queue.TryDequeue(TimeSpan.Zero, out _));
    }

    [Fact]
    public void TryDequeueWithTimeout_CompletedAndEmpty_ReturnsFalseAtOnceEvenWithAnInfiniteTimeout()
    {
        var queue = CreateQueue();
        queue.Complete();
        bool found = true;
        var consumer = TestThread.Start(() => found = queue.TryDequeue(Timeout.InfiniteTimeSpan, out _));
        consumer.Join();
        Assert.False(found);
    }

    [Fact]
    public void TryDequeueWithTimeout_ParkedWhenCompleted_ReturnsFalse()
    {
        var queue = CreateQueue();
        bool found = true;
        var consumer = TestThread.Start(() => found = queue.TryDequeue(Timeout.InfiniteTimeSpan, out _));
        Bounded.Until(() => Waiters.Count(queue.Queue) > 0, "the consumer to park");

        queue.Complete();
        consumer.Join();

        Assert.False(found);
        Assert.Equal(0, Waiters.Count(queue.Queue));
    }

    [Fact]
    public void TryDequeueWithTimeout_NegativeTimeout_ThrowsArgumentOutOfRange()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => queue.TryDequeue(TimeSpan.FromMilliseconds(-2), out _));
        Assert.Equal("timeout", error.ParamName);
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public void WaitingMembersWithATokenOrTimeout_InsideATransaction_ThrowInvalidOperation()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);

        var withToken = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => queue.Dequeue(CancellationToken.None)));
        var withTimeout = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => queue.TryDequeue(TimeSpan.Zero, out _)));

        Assert.Contains("outermost Atomic.Run or Atomic.TryRun", withToken.Message, StringComparison.Ordinal);
        Assert.Contains("Dequeue(CancellationToken)", withToken.Message, StringComparison.Ordinal);
        Assert.Contains("TryDequeue(TimeSpan, out T)", withTimeout.Message, StringComparison.Ordinal);
        Assert.Equal([1], queue.ToArray());
    }

    /// <summary>Reads an asynchronous enumeration to its end.</summary>
    protected static async Task<List<int>> Collect(IAsyncEnumerable<int> items)
    {
        var list = new List<int>();
        await foreach (int item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Reads an asynchronous enumeration given a token with <c>WithCancellation</c> to its end.</summary>
    protected static async Task<List<int>> Collect(System.Runtime.CompilerServices.ConfiguredCancelableAsyncEnumerable<int> items)
    {
        var list = new List<int>();
        await foreach (int item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
