using Stm.Collections;
using Xunit;

namespace Stm.Tests.Unit.Collections;

public sealed class TSemaphoreTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Constructor_NegativeCount_ThrowsArgumentOutOfRange(int initialCount)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TSemaphore(initialCount));
        Assert.Equal("initialCount", error.ParamName);
    }

    [Fact]
    public void WaitAndRelease_TrackTheCount()
    {
        var semaphore = new TSemaphore(2);
        semaphore.Wait();
        Assert.True(semaphore.TryWait());
        Assert.Equal(0, semaphore.CurrentCount);
        Assert.False(semaphore.TryWait());
        semaphore.Release(3);
        Assert.Equal(3, semaphore.CurrentCount);
        semaphore.Release();
        Assert.Equal(4, semaphore.CurrentCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Release_CountBelowOne_ThrowsAndChangesNothing(int count)
    {
        var semaphore = new TSemaphore(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => semaphore.Release(count));
        Assert.Equal("count", error.ParamName);
        Assert.Equal(1, semaphore.CurrentCount);
    }

    [Fact]
    public void Release_PastInt32Max_ThrowsSemaphoreFullAndChangesNothing()
    {
        var semaphore = new TSemaphore(int.MaxValue - 1);
        Assert.Throws<SemaphoreFullException>(() => semaphore.Release(2));
        Assert.Equal(int.MaxValue - 1, semaphore.CurrentCount);
        semaphore.Release();
        Assert.Equal(int.MaxValue, semaphore.CurrentCount);
    }

    [Fact]
    public void Wait_ZeroInsideTryRun_TimesOutAndTakesNothing()
    {
        var semaphore = new TSemaphore(0);
        var other = new TSemaphore(1);
        Assert.False(Atomic.TryRun(
            () =>
            {
                other.Wait();
                semaphore.Wait();
            },
            TimeSpan.FromMilliseconds(30)));
        Assert.Equal(1, other.CurrentCount);
    }

    [Fact]
    public async Task Wait_ParkedAtZero_IsWokenByRelease()
    {
        var semaphore = new TSemaphore(0);
        using var rolledBack = new ManualResetEventSlim();
        var waiter = WaitHarness.StartThread(() => WaitHarness.RunSignallingRollback(
            () =>
            {
                semaphore.Wait();
                return true;
            },
            rolledBack));
        WaitHarness.WaitOrFail(rolledBack, "the waiter to retry at zero");

        semaphore.Release();

        Assert.True(await waiter.WaitAsync(WaitHarness.Timeout));
        Assert.Equal(0, semaphore.CurrentCount);
    }

    [Fact]
    public async Task Wait_ManyThreads_NeverMoreHoldersThanPermits()
    {
        const int Permits = 2;
        const int Threads = 6;
        const int Rounds = 100;
        var semaphore = new TSemaphore(Permits);
        int holders = 0;
        int maxHolders = 0;
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(_ => WaitHarness.StartThread(() =>
        {
            Assert.True(start.SignalAndWait(WaitHarness.Timeout));
            for (int i = 0; i < Rounds; i++)
            {
                semaphore.Wait();
                int now = Interlocked.Increment(ref holders);
                InterlockedMax(ref maxHolders, now);
                Thread.Yield();
                Interlocked.Decrement(ref holders);
                semaphore.Release();
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(WaitHarness.Timeout * 2);
        Assert.InRange(maxHolders, 1, Permits);
        Assert.Equal(Permits, semaphore.CurrentCount);

        static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    [Fact]
    public void Wait_AtomicWithAQueue_TakesPermitAndItemTogetherOrNeither()
    {
        var semaphore = new TSemaphore(1);
        var queue = new TQueue<int>();
        Assert.False(Atomic.TryRun(() => { semaphore.Wait(); queue.Dequeue(); }, TimeSpan.FromMilliseconds(30)));
        Assert.Equal(1, semaphore.CurrentCount);
        queue.Enqueue(1);
        Atomic.Run(() => { semaphore.Wait(); queue.Dequeue(); });
        Assert.Equal(0, semaphore.CurrentCount);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public async Task WaitAsync_Pending_CompletesOnRelease_AndCancellationTakesNothing()
    {
        var semaphore = new TSemaphore(0);
        var pending = semaphore.WaitAsync().AsTask();
        Assert.False(pending.IsCompleted);
        semaphore.Release();
        await pending.WaitAsync(WaitHarness.Timeout);
        Assert.Equal(0, semaphore.CurrentCount);

        using var cancellation = new CancellationTokenSource();
        var cancelled = semaphore.WaitAsync(cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(WaitHarness.Timeout));
        semaphore.Release();
        Assert.Equal(1, semaphore.CurrentCount);
        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() => WaitHarness.Discard(semaphore.WaitAsync())));
        Assert.Equal(1, semaphore.CurrentCount);
    }
}
