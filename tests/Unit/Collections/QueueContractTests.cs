using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// The behaviour every transactional FIFO queue shares (TQueue and TBoundedQueue), run once per type
/// by a small subclass. Queues made by <see cref="CreateQueue"/> hold at least 1000 items.
/// </summary>
public abstract class QueueContractTests
{
    protected abstract ITestQueue CreateQueue();

    [Fact]
    public void Dequeue_AfterEnqueues_ReturnsItemsInFifoOrder()
    {
        var queue = CreateQueue();
        for (int i = 0; i < 10; i++)
        {
            queue.Enqueue(i);
        }

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(i, queue.Dequeue());
        }

        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void TryDequeue_Empty_ReturnsFalseAndDefault()
    {
        var queue = CreateQueue();
        Assert.False(queue.TryDequeue(out int item));
        Assert.Equal(0, item);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void TryDequeue_NonEmpty_RemovesFront()
    {
        var queue = CreateQueue();
        queue.Enqueue(5);
        queue.Enqueue(6);
        Assert.True(queue.TryDequeue(out int item));
        Assert.Equal(5, item);
        Assert.Equal([6], queue.ToArray());
    }

    [Fact]
    public void TryPeek_NonEmpty_ReturnsFrontWithoutRemoving()
    {
        var queue = CreateQueue();
        Assert.False(queue.TryPeek(out _));
        queue.Enqueue(3);
        queue.Enqueue(4);
        Assert.True(queue.TryPeek(out int item));
        Assert.Equal(3, item);
        Assert.Equal(3, queue.Peek());
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void CountAndIsEmpty_FollowEnqueueAndDequeue()
    {
        var queue = CreateQueue();
        Assert.True(queue.IsEmpty);
        Assert.Equal(0, queue.Count);
        queue.Enqueue(1);
        queue.Enqueue(2);
        Assert.False(queue.IsEmpty);
        Assert.Equal(2, queue.Count);
        queue.Dequeue();
        Assert.Equal(1, queue.Count);
        queue.Dequeue();
        Assert.True(queue.IsEmpty);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Count_InsideTransaction_IsExactIncludingOwnWrites()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        var (count, isEmpty, front) = Atomic.Run(() =>
        {
            queue.Enqueue(2);
            queue.Enqueue(3);
            queue.Dequeue();
            return (queue.Count, queue.IsEmpty, queue.Peek());
        });
        Assert.Equal(2, count);
        Assert.False(isEmpty);
        Assert.Equal(2, front);
        Assert.Equal([2, 3], queue.ToArray());
    }

    [Fact]
    public void Enqueue_InTransactionThatThrows_ChangesNothing()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        var thrown = Assert.Throws<InvalidTimeZoneException>(() => Atomic.Run(() =>
        {
            queue.Enqueue(2);
            queue.Dequeue();
            queue.Clear();
            throw new InvalidTimeZoneException("boom");
        }));
        Assert.Equal("boom", thrown.Message);
        Assert.Equal([1], queue.ToArray());
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Enqueue_InOrElseBranchThatRetries_IsRolledBack()
    {
        var queue = CreateQueue();
        int result = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                queue.Enqueue(1);
                return queue.Dequeue() + queue.Dequeue();   // the second Dequeue retries: empty
            },
            () => -1));
        Assert.Equal(-1, result);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void Dequeue_OrElseOverTwoQueues_TakesFromTheOneWithAnItem()
    {
        var first = CreateQueue();
        var second = CreateQueue();
        second.Enqueue(20);
        Assert.Equal(20, Atomic.Run(() => Atomic.OrElse(first.Dequeue, second.Dequeue)));
        first.Enqueue(10);
        second.Enqueue(21);
        Assert.Equal(10, Atomic.Run(() => Atomic.OrElse(first.Dequeue, second.Dequeue)));
        Assert.True(first.IsEmpty);
        Assert.Equal([21], second.ToArray());
    }

    [Fact]
    public async Task Dequeue_ParkedOnEmptyQueue_IsWokenByEnqueue()
    {
        var queue = CreateQueue();
        using var rolledBack = new ManualResetEventSlim();
        var consumer = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(queue.Dequeue, rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the consumer to retry on the empty queue");
        Assert.False(consumer.IsCompleted);

        queue.Enqueue(42);

        Assert.Equal(42, await consumer.WaitAsync(WaitHarness.Timeout));
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public async Task Dequeue_OutsideTransactionOnEmptyQueue_BlocksUntilEnqueue()
    {
        var queue = CreateQueue();
        using var started = new ManualResetEventSlim();
        var consumer = WaitHarness.StartThread(() =>
        {
            started.Set();
            return queue.Dequeue();
        });
        WaitHarness.WaitOrFail(started, "the consumer thread to start");
        queue.Enqueue(8);
        Assert.Equal(8, await consumer.WaitAsync(WaitHarness.Timeout));
    }

    [Fact]
    public async Task Dequeue_OrElseBothEmpty_WakesWhenEitherGetsAnItem()
    {
        var first = CreateQueue();
        var second = CreateQueue();
        using var rolledBack = new ManualResetEventSlim();
        var consumer = WaitHarness.StartThread(
            () => WaitHarness.RunSignallingRollback(() => Atomic.OrElse(first.Dequeue, second.Dequeue), rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the consumer to retry on both empty queues");

        second.Enqueue(2);

        Assert.Equal(2, await consumer.WaitAsync(WaitHarness.Timeout));
        Assert.True(first.IsEmpty);
        Assert.True(second.IsEmpty);
    }

    [Fact]
    public async Task Peek_ParkedOnEmptyQueue_IsWokenAndLeavesTheItem()
    {
        var queue = CreateQueue();
        using var rolledBack = new ManualResetEventSlim();
        var peeker = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(queue.Peek, rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the peeker to retry on the empty queue");

        queue.Enqueue(9);

        Assert.Equal(9, await peeker.WaitAsync(WaitHarness.Timeout));
        Assert.Equal([9], queue.ToArray());
    }

    [Fact]
    public async Task Dequeue_RunCancelledWhileWaiting_ThrowsAndTakesNothing()
    {
        var full = CreateQueue();
        full.Enqueue(1);
        var empty = CreateQueue();
        using var cancellation = new CancellationTokenSource();
        using var rolledBack = new ManualResetEventSlim();
        var consumer = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(
            () => full.Dequeue() + empty.Dequeue(), rolledBack, cancellation.Token));
        WaitHarness.WaitOrFail(rolledBack, "the consumer to retry on the empty queue");

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer.WaitAsync(WaitHarness.Timeout));
        Assert.Equal([1], full.ToArray());
        Assert.True(empty.IsEmpty);
    }

    [Fact]
    public void Dequeue_TryRunTimesOut_ReturnsFalseAndTakesNothing()
    {
        var full = CreateQueue();
        full.Enqueue(1);
        var empty = CreateQueue();

        bool committed = Atomic.TryRun(() => full.Dequeue() + empty.Dequeue(), TimeSpan.FromMilliseconds(50), out int sum);

        Assert.False(committed);
        Assert.Equal(0, sum);
        Assert.Equal([1], full.ToArray());
    }

    [Fact]
    public void Dequeue_TryRunWithItem_ReturnsTrue()
    {
        var queue = CreateQueue();
        queue.Enqueue(4);
        Assert.True(Atomic.TryRun(queue.Dequeue, TimeSpan.FromSeconds(5), out int item));
        Assert.Equal(4, item);
    }

    [Fact]
    public async Task DequeueAsync_ItemAvailable_CompletesSynchronously()
    {
        var queue = CreateQueue();
        queue.Enqueue(3);
        var pending = queue.DequeueAsync();
        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal(3, await pending);
    }

    [Fact]
    public async Task DequeueAsync_Empty_CompletesWhenAnItemIsEnqueued()
    {
        var queue = CreateQueue();
        var pending = queue.DequeueAsync().AsTask();
        Assert.False(pending.IsCompleted);

        queue.Enqueue(11);

        Assert.Equal(11, await pending.WaitAsync(WaitHarness.Timeout));
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public async Task DequeueAsync_CancelledWhileWaiting_ThrowsAndTakesNothing()
    {
        var queue = CreateQueue();
        using var cancellation = new CancellationTokenSource();
        var pending = queue.DequeueAsync(cancellation.Token).AsTask();
        Assert.False(pending.IsCompleted);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(WaitHarness.Timeout));
        queue.Enqueue(12);
        Assert.Equal([12], queue.ToArray());
    }

    [Fact]
    public async Task DequeueAsync_AlreadyCancelledToken_ThrowsAndTakesNothing()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.DequeueAsync(cancellation.Token).AsTask());
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public void DequeueAsync_InsideTransaction_ThrowsInvalidOperationNamingTheSynchronousMember()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        var error = Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => WaitHarness.Discard(queue.DequeueAsync())));
        Assert.Contains(".Dequeue", error.Message, StringComparison.Ordinal);
        Assert.Equal([1], queue.ToArray());
    }

    [Fact]
    public void Clear_RemovesEveryItem_AndTheQueueIsUsableAfterwards()
    {
        var queue = CreateQueue();
        for (int i = 0; i < 5; i++)
        {
            queue.Enqueue(i);
        }

        queue.Clear();
        Assert.True(queue.IsEmpty);
        Assert.Equal(0, queue.Count);
        Assert.Empty(queue.ToArray());
        queue.Enqueue(7);
        Assert.Equal(7, queue.Dequeue());
    }

    [Fact]
    public void Enumeration_InsideTransaction_SeesTheTransactionsOwnWrites()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        int[] seen = Atomic.Run(() =>
        {
            queue.Enqueue(2);
            return queue.Enumerate().ToArray();
        });
        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public void Enumeration_IsASnapshot_LaterChangesDoNotShowThrough()
    {
        var queue = CreateQueue();
        queue.Enqueue(1);
        queue.Enqueue(2);
        using var enumerator = queue.Enumerate().GetEnumerator();
        queue.Enqueue(3);
        queue.Dequeue();
        var seen = new List<int>();
        while (enumerator.MoveNext())
        {
            seen.Add(enumerator.Current);
        }

        Assert.Equal([1, 2], seen);
    }

    [Fact]
    [Trait("Category", "Stress")]
    public async Task Enumeration_WhileWritersRotateTheQueue_AlwaysSeesAConsistentSnapshot()
    {
        // Writers rotate atomically: take the front x, put x + Size at the back. So every committed
        // state holds Size consecutive ascending integers; a torn snapshot would not.
        const int Size = 16;
        const int Writers = 3;
        const int Readers = 2;
        const int Rotations = 400;
        var queue = CreateQueue();
        for (int i = 0; i < Size; i++)
        {
            queue.Enqueue(i);
        }

        using var start = new Barrier(Writers + Readers);
        int writersLeft = Writers;
        var writers = Enumerable.Range(0, Writers).Select(_ => WaitHarness.StartThread(() =>
        {
            Assert.True(start.SignalAndWait(WaitHarness.Timeout));
            for (int i = 0; i < Rotations; i++)
            {
                Atomic.Run(() => queue.Enqueue(queue.Dequeue() + Size));
            }

            Interlocked.Decrement(ref writersLeft);
        })).ToArray();
        var readers = Enumerable.Range(0, Readers).Select(reader => WaitHarness.StartThread(() =>
        {
            Assert.True(start.SignalAndWait(WaitHarness.Timeout));
            var bad = new List<string>();
            int snapshots = 0;
            while (Volatile.Read(ref writersLeft) > 0 || snapshots < 10)
            {
                int[] outside = reader == 0 ? queue.ToArray() : [.. queue.Enumerate()];
                var (inside, count) = Atomic.Run(() => (queue.Enumerate().ToArray(), queue.Count));
                Check(outside, bad);
                Check(inside, bad);
                if (count != Size)
                {
                    bad.Add($"Count {count}");
                }

                snapshots++;
            }

            return bad;
        })).ToArray();

        await Task.WhenAll(writers).WaitAsync(WaitHarness.Timeout * 3);
        foreach (var reader in readers)
        {
            Assert.Empty(await reader.WaitAsync(WaitHarness.Timeout));
        }

        Assert.Equal(Enumerable.Range(Writers * Rotations, Size), queue.ToArray());

        static void Check(int[] snapshot, List<string> bad)
        {
            bool consecutive = snapshot.Length == Size && snapshot.Zip(snapshot.Skip(1)).All(p => p.Second == p.First + 1);
            if (!consecutive)
            {
                bad.Add(string.Join(',', snapshot));
            }
        }
    }
}
