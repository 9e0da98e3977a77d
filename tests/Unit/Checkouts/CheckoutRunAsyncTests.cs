using Stm.Collections;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Checkouts;

/// <summary>
/// <see cref="Atomic.RunAsync(Func{Checkout, CancellationToken, ValueTask}, CancellationToken)"/>:
/// the rinse-and-repeat loop around a checkout. Conflicts are forced by committing from another
/// thread while the body awaits; waits are observed through the TVar's wait list.
/// </summary>
public sealed class CheckoutRunAsyncTests
{
    [Fact]
    public async Task RunAsync_WithAnAwaitBetweenReadAndWrite_CommitsAndReturnsTheResult()
    {
        var balance = new TVar<int>(100);

        int after = await Atomic.RunAsync(async (checkout, ct) =>
        {
            int current = checkout.Read(balance);
            await Task.Delay(1, ct);
            checkout.Write(balance, current - 40);
            return current - 40;
        });

        Assert.Equal(60, after);
        Assert.Equal(60, balance.Value);
    }

    [Fact]
    public async Task RunAsync_WriterCommitsWhileTheBodyAwaits_ReRunsTheWholeBodyOnAFreshCheckout()
    {
        var counter = new TVar<int>(0, "counter");
        int runs = 0;
        var conflicted = new List<int>();

        await Atomic.RunAsync(async (checkout, ct) =>
        {
            int run = ++runs;
            int seen = checkout.Read(counter);
            checkout.Run(() => Atomic.AfterRollback(() => conflicted.Add(run)));
            if (run == 1)
            {
                // Another thread commits between this run's read and its commit.
                await Task.Run(() => counter.Modify(n => n + 10), ct);
            }

            await Task.Yield();
            checkout.Write(counter, seen + 1);
        });

        Assert.Equal(2, runs);
        Assert.Equal([1], conflicted);
        Assert.Equal(11, counter.Value);
    }

    [Fact]
    public async Task RunAsync_BlockConflictsBetweenBlocks_ReRunsTheBody()
    {
        var a = new TVar<int>(1);
        var b = new TVar<int>(1);
        int runs = 0;

        int sum = await Atomic.RunAsync(async (checkout, ct) =>
        {
            runs++;
            checkout.Run(() => b.Value = a.Value + 1);
            if (runs == 1)
            {
                await Task.Run(() => Atomic.Run(() =>
                {
                    a.Value = 5;
                    b.Value = 5;
                }), ct);
            }

            // On the first run this block needs a newer b than the snapshot holds: ConflictException.
            return checkout.Run(() => a.Value + b.Value);
        });

        Assert.Equal(2, runs);
        Assert.Equal(11, sum);
        Assert.Equal(6, b.Value);
    }

    [Fact]
    public async Task RunAsync_RetryInABlock_WaitsWithoutAThreadUntilAReadTVarChanges()
    {
        var queue = new TVar<int>(0, "queue");
        int runs = 0;

        Task<int> consumer = Atomic.RunAsync(async (checkout, ct) =>
        {
            runs++;
            await Task.Yield();
            return checkout.Run(() =>
            {
                int items = queue.Value;
                Atomic.Check(items > 0);
                queue.Value = items - 1;
                return items;
            });
        }).AsTask();
        Bounded.Until(() => queue.WaitList is { HasWaiters: true }, "the body to park on the TVar it read");
        int runsWhileParked = runs;
        queue.Write(3);
        int seen = await consumer.WaitAsync(Bounded.Limit);

        Assert.Equal(1, runsWhileParked);
        Assert.Equal(3, seen);
        Assert.Equal(2, queue.Value);
        Assert.False(queue.WaitList!.HasWaiters);
    }

    [Fact]
    public async Task RunAsync_RetryAfterReadingNothing_ThrowsInvalidOperation()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Atomic.RunAsync((checkout, _) =>
            {
                checkout.Run(Atomic.Retry);
                return ValueTask.CompletedTask;
            }));

        Assert.Contains("read any TVar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaitingInRetry_ThrowsAndCommitsNothingAndLeavesNoWaiter()
    {
        var gate = new TVar<bool>(false);
        var written = new TVar<int>(0);
        using var cancellation = new CancellationTokenSource();

        Task run = Atomic.RunAsync((checkout, _) =>
        {
            checkout.Run(() =>
            {
                written.Value = 1;
                Atomic.Check(gate.Value);
            });
            return ValueTask.CompletedTask;
        }, cancellation.Token).AsTask();
        Bounded.Until(() => gate.WaitList is { HasWaiters: true }, "the body to park");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Bounded.Limit));
        Assert.Equal(0, written.Value);
        Assert.False(gate.WaitList!.HasWaiters);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileTheBodyAwaits_CommitsNothing()
    {
        var written = new TVar<int>(0);
        using var cancellation = new CancellationTokenSource();

        Task run = Atomic.RunAsync(async (checkout, ct) =>
        {
            checkout.Write(written, 1);
            await cancellation.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
        }, cancellation.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Bounded.Limit));
        Assert.Equal(0, written.Value);
    }

    [Fact]
    public async Task RunAsync_BodyThrows_PropagatesTheSameExceptionAndCommitsNothing()
    {
        var written = new TVar<int>(0);
        var thrown = new TestException();
        bool rolledBack = false;

        var caught = await Assert.ThrowsAsync<TestException>(async () => await Atomic.RunAsync(async (checkout, _) =>
        {
            checkout.Run(() =>
            {
                written.Value = 1;
                Atomic.AfterRollback(() => rolledBack = true);
            });
            await Task.Yield();
            throw thrown;
        }));

        Assert.Same(thrown, caught);
        Assert.True(rolledBack);
        Assert.Equal(0, written.Value);
    }

    [Fact]
    public async Task RunAsync_BodyCommitsTheCheckoutItself_IsNotCommittedTwice()
    {
        var counter = new TVar<int>(0);

        await Atomic.RunAsync((checkout, _) =>
        {
            checkout.Run(() => counter.Value++);
            checkout.Commit();
            return ValueTask.CompletedTask;
        });

        Assert.Equal(1, counter.Value);
    }

    [Fact]
    public async Task RunAsync_BodysOwnTryCommitClashes_ReRunsTheBody()
    {
        var counter = new TVar<int>(0, "counter");
        int runs = 0;

        await Atomic.RunAsync(async (checkout, ct) =>
        {
            int run = ++runs;
            int seen = checkout.Read(counter);
            if (run == 1)
            {
                await Task.Run(() => counter.Modify(n => n + 10), ct);
            }

            checkout.Write(counter, seen + 1);
            _ = checkout.TryCommit();
        }).AsTask().WaitAsync(Bounded.Limit);

        Assert.Equal(2, runs);
        Assert.Equal(11, counter.Value);
    }

    /// <summary>
    /// The same clash as <see cref="RunAsync_BodysOwnTryCommitClashes_ReRunsTheBody"/>, committed with
    /// <see cref="Checkout.Commit"/>: docs/reference.md says RunAsync re-runs the body on a ConflictException
    /// "from a block or from the commit", but the one thrown by the body's own Commit escapes RunAsync.
    /// </summary>
    [Fact]
    public async Task RunAsync_BodysOwnCommitThrowsConflict_ReRunsTheBodyInsteadOfThrowing()
    {
        var counter = new TVar<int>(0, "counter");
        int runs = 0;

        await Atomic.RunAsync(async (checkout, ct) =>
        {
            int run = ++runs;
            int seen = checkout.Read(counter);
            if (run == 1)
            {
                await Task.Run(() => counter.Modify(n => n + 10), ct);
            }

            checkout.Write(counter, seen + 1);
            checkout.Commit();
        }).AsTask().WaitAsync(Bounded.Limit);

        Assert.Equal(2, runs);
        Assert.Equal(11, counter.Value);
    }

    [Fact]
    public async Task RunAsync_BodyDisposesTheCheckout_ThrowsInvalidOperationInsteadOfLoopingForever()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await Atomic.RunAsync((checkout, _) =>
            {
                checkout.Dispose();
                return ValueTask.CompletedTask;
            }));

        Assert.Contains("disposed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ManyTasksIncrementingWithAwaits_LoseNoUpdate()
    {
        var counter = new TVar<int>(0);
        var map = new TMap<int, int>();
        const int Tasks = 8;
        const int PerTask = 25;

        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < PerTask; i++)
            {
                await Atomic.RunAsync(async (checkout, ct) =>
                {
                    int seen = checkout.Read(counter);
                    await Task.Yield();
                    checkout.Run(() =>
                    {
                        counter.Value = seen + 1;
                        map[t] = map.TryGetValue(t, out int n) ? n + 1 : 1;
                    });
                });
            }
        }))).WaitAsync(Bounded.Limit);

        Assert.Equal(Tasks * PerTask, counter.Value);
        Assert.All(Enumerable.Range(0, Tasks), t => Assert.Equal(PerTask, map[t]));
    }
}
