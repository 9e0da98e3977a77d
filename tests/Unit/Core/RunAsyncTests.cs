using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class RunAsyncTests
{
    [Fact]
    public async Task RunAsync_BodyCommitsWithoutWaiting_CompletesSynchronously()
    {
        var a = new TVar<int>(0);

        var pending = Atomic.RunAsync(() => { a.Value = 1; });
        bool completedAtOnce = pending.IsCompletedSuccessfully;
        await pending;

        Assert.True(completedAtOnce);
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public async Task RunAsyncOfT_BodyCommitsWithoutWaiting_ResultAvailableSynchronously()
    {
        var a = new TVar<int>(20);

        var pending = Atomic.RunAsync(() =>
        {
            a.Value += 1;
            return a.Value * 2;
        });
        bool completedAtOnce = pending.IsCompletedSuccessfully;
        int result = await pending;

        Assert.True(completedAtOnce);
        Assert.Equal(42, result);
        Assert.Equal(21, a.Value);
    }

    [Fact]
    public async Task RunAsync_BodyRetries_ReturnsPendingAndCompletesWhenTheTVarIsWritten()
    {
        var gate = new TVar<int>(0, "gate");
        var output = new TVar<int>(0, "output");
        int runs = 0;

        var pending = Atomic.RunAsync(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            int value = gate.Value;
            Atomic.Check(value > 0);
            output.Write(value);
            return value * 10;
        }).AsTask();

        Assert.False(pending.IsCompleted);
        Assert.False(Atomic.InTransaction);
        Assert.Equal(0, output.Value);
        gate.Write(4);
        int result = await pending.WaitAsync(Bounded.Limit);

        Assert.Equal(40, result);
        Assert.Equal(4, output.Value);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task RunAsync_WokenTransaction_ReRunsOnAFreshSnapshot()
    {
        var gate = new TVar<int>(0);
        var data = new TVar<int>(0);

        var pending = Atomic.RunAsync(() =>
        {
            int g = gate.Value;
            Atomic.Check(g > 0);
            return (g, data.Value);
        }).AsTask();

        Assert.False(pending.IsCompleted);
        data.Write(5);
        gate.Write(1);

        Assert.Equal((1, 5), await pending.WaitAsync(Bounded.Limit));
    }

    [Fact]
    public async Task RunAsync_ManyPendingWaiters_DoNotBlockThreadsAndAllCompleteOnWrite()
    {
        const int Waiters = 10_000;
        var gate = new TVar<bool>(false, "async-gate");
        var done = new TVar<long>(0, "async-done");
        int threadsBefore = ThreadPool.ThreadCount;
        var pending = new Task[Waiters];

        for (int i = 0; i < Waiters; i++)
        {
            pending[i] = Atomic.RunAsync(() =>
            {
                Atomic.Check(gate.Value);
                done.Commute(v => v + 1);
            }).AsTask();
        }

        int stillPending = pending.Count(t => !t.IsCompleted);
        int threadsWhilePending = ThreadPool.ThreadCount;
        gate.Write(true);
        await Task.WhenAll(pending).WaitAsync(Bounded.Limit);

        Assert.Equal(Waiters, stillPending);
        Assert.True(
            threadsWhilePending <= threadsBefore + 16,
            $"The thread pool grew from {threadsBefore} to {threadsWhilePending} threads with {Waiters} waiters pending.");
        Assert.Equal(Waiters, done.Value);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaiting_CompletesCanceledAndCommitsNothing()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);
        using var cts = new CancellationTokenSource();
        int runs = 0;

        var pending = Atomic.RunAsync(
            () =>
            {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
                Interlocked.Increment(ref runs);
#pragma warning restore STM0003
                output.Write(1);
                Atomic.Check(gate.Value);
            },
            cts.Token).AsTask();

        Assert.False(pending.IsCompleted);
        cts.Cancel();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Bounded.Limit));

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.True(pending.IsCanceled);
        int runsAfterCancel = Volatile.Read(ref runs);
        gate.Write(true);
        Assert.Equal(runsAfterCancel, Volatile.Read(ref runs));
        Assert.Equal(0, output.Value);
    }

    [Fact]
    public async Task RunAsync_TokenAlreadyCancelledAndBodyWouldWait_IsCanceled()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Atomic.RunAsync(
            () =>
            {
                output.Write(1);
                Atomic.Check(gate.Value);
            },
            cts.Token).AsTask().WaitAsync(Bounded.Limit));

        Assert.Equal(0, output.Value);
    }

    [Fact]
    public async Task RunAsync_BodyThrows_PropagatesTheSameExceptionAndRollsBack()
    {
        var a = new TVar<int>(0);
        var thrown = new TestException();

        var caught = await Assert.ThrowsAsync<TestException>(async () => await Atomic.RunAsync(() =>
        {
            a.Write(1);
            throw thrown;
        }));

        Assert.Same(thrown, caught);
        Assert.Equal(0, a.Value);
    }

    [Fact]
    public async Task RunAsync_BodyThrowsAfterWaking_PropagatesTheSameException()
    {
        var gate = new TVar<bool>(false);
        var thrown = new TestException();

        var pending = Atomic.RunAsync(() =>
        {
            Atomic.Check(gate.Value);
            throw thrown;
        }).AsTask();

        Assert.False(pending.IsCompleted);
        gate.Write(true);
        var caught = await Assert.ThrowsAsync<TestException>(() => pending.WaitAsync(Bounded.Limit));

        Assert.Same(thrown, caught);
    }

    [Fact]
    public async Task RunAsync_AfterCommitOfWokenTransaction_RunsOnceWithWritesVisible()
    {
        var gate = new TVar<int>(0);
        var output = new TVar<int>(0);
        int commits = 0;
        int seenInHandler = -1;

        var pending = Atomic.RunAsync(() =>
        {
            int value = gate.Value;
            Atomic.Check(value > 0);
            output.Write(value);
            Atomic.AfterCommit(() =>
            {
                Interlocked.Increment(ref commits);
                seenInHandler = output.Value;
            });
        }).AsTask();

        gate.Write(2);
        await pending.WaitAsync(Bounded.Limit);

        Assert.Equal(1, commits);
        Assert.Equal(2, seenInHandler);
    }
}
