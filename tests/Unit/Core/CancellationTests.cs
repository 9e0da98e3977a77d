using System.Diagnostics;
using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class CancellationTests
{
    /// <summary>How soon a cancelled or already-cancelled wait must give up.</summary>
    private static TimeSpan Prompt => TimeSpan.FromSeconds(1);

    [Fact]
    public void Run_TokenCancelledWhileParked_ThrowsOperationCanceledPromptlyAndCommitsNothing()
    {
        var gate = new TVar<bool>(false, "gate");
        var output = new TVar<int>(0, "output");
        using var cts = new CancellationTokenSource();
        int runs = 0;
        long cancelledAt = 0;
        long caughtAt = 0;

        var waiter = TestThread.Start(() =>
        {
            try
            {
                Atomic.Run(
                    () =>
                    {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
                        Interlocked.Increment(ref runs);
#pragma warning restore STM0003
                        output.Value = 1;
                        Atomic.Check(gate.Value);
                    },
                    cts.Token);
            }
            finally
            {
                Volatile.Write(ref caughtAt, Stopwatch.GetTimestamp());
            }
        });

        Bounded.UntilParked(waiter, "the waiter");
        Volatile.Write(ref cancelledAt, Stopwatch.GetTimestamp());
        cts.Cancel();
        var error = waiter.JoinCapturing();

        var canceled = Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Equal(cts.Token, canceled.CancellationToken);
        Assert.True(Stopwatch.GetElapsedTime(cancelledAt, caughtAt) < Prompt, "cancellation was not prompt");
        Assert.Equal(0, output.Value);

        // Waking the TVar later must not resurrect the cancelled transaction.
        int runsBeforeWrite = Volatile.Read(ref runs);
        Atomic.Run(() => { gate.Value = true; });
        Assert.Equal(runsBeforeWrite, Volatile.Read(ref runs));
        Assert.Equal(0, output.Value);
    }

    [Fact]
    public void RunOfT_TokenCancelledWhileParked_ThrowsOperationCanceled()
    {
        var gate = new TVar<bool>(false);
        using var cts = new CancellationTokenSource();

        var waiter = TestThread.Start(() => Atomic.Run(
            () =>
            {
                Atomic.Check(gate.Value);
                return 1;
            },
            cts.Token));

        Bounded.UntilParked(waiter, "the waiter");
        cts.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(waiter.JoinCapturing());
    }

    [Fact]
    public void Run_TokenAlreadyCancelledAndBodyWouldWait_ThrowsOperationCanceledAndCommitsNothing()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var stopwatch = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => Atomic.Run(
            () =>
            {
                output.Value = 1;
                Atomic.Check(gate.Value);
            },
            cts.Token));

        Assert.True(stopwatch.Elapsed < Prompt, "an already-cancelled wait was not prompt");
        Assert.Equal(0, output.Value);
        Assert.False(Atomic.InTransaction);
    }

    [Fact]
    public void Run_TokenNotCancelledAndWokenByWrite_Commits()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);
        using var cts = new CancellationTokenSource();

        var waiter = TestThread.Start(() => Atomic.Run(
            () =>
            {
                Atomic.Check(gate.Value);
                output.Value = 1;
            },
            cts.Token));

        Bounded.UntilParked(waiter, "the waiter");
        gate.Value = true;
        waiter.Join();

        Assert.Equal(1, output.Value);
    }

    [Fact]
    public void Run_AfterACancelledWait_TheSameThreadRunsAndWaitsNormally()
    {
        var gate = new TVar<int>(0);
        using var cts = new CancellationTokenSource();
        using var firstCancelled = new ManualResetEventSlim();
        int secondResult = 0;

        var waiter = TestThread.Start(() =>
        {
            Assert.ThrowsAny<OperationCanceledException>(() => Atomic.Run(() => Atomic.Check(gate.Value > 0), cts.Token));
            Assert.False(Atomic.InTransaction);
            firstCancelled.Set();
            secondResult = Atomic.Run(() =>
            {
                int value = gate.Value;
                Atomic.Check(value > 0);
                return value;
            });
        });

        Bounded.UntilParked(waiter, "the first wait");
        cts.Cancel();
        Bounded.Wait(firstCancelled, "the first wait to be cancelled");
        Bounded.UntilParked(waiter, "the second wait");
        gate.Value = 3;
        waiter.Join();

        Assert.Equal(3, secondResult);
    }

    [Fact]
    public void TryRun_TimeoutElapses_ReturnsFalseAfterTheTimeoutAndCommitsNothing()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);
        var timeout = TimeSpan.FromMilliseconds(100);
        var stopwatch = Stopwatch.StartNew();

        bool committed = Atomic.TryRun(
            () =>
            {
                output.Value = 1;
                Atomic.Check(gate.Value);
            },
            timeout);

        var elapsed = stopwatch.Elapsed;
        Assert.False(committed);
        Assert.True(elapsed >= timeout * 0.8, $"TryRun gave up after {elapsed}, before its timeout {timeout}");
        Assert.True(elapsed < timeout + TimeSpan.FromSeconds(5), $"TryRun took {elapsed} for a timeout of {timeout}");
        Assert.Equal(0, output.Value);
        Assert.False(Atomic.InTransaction);
    }

    [Fact]
    public void TryRunOfT_TimeoutElapses_ReturnsFalseAndDefaultResult()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);

        bool committedInt = Atomic.TryRun(
            () =>
            {
                output.Value = 1;
                Atomic.Check(gate.Value);
                return 42;
            },
            TimeSpan.FromMilliseconds(20),
            out int intResult);
        bool committedString = Atomic.TryRun(
            () =>
            {
                Atomic.Check(gate.Value);
                return "value";
            },
            TimeSpan.FromMilliseconds(20),
            out string? stringResult);

        Assert.False(committedInt);
        Assert.Equal(0, intResult);
        Assert.False(committedString);
        Assert.Null(stringResult);
        Assert.Equal(0, output.Value);
    }

    [Fact]
    public void TryRun_ZeroTimeoutAndBodyWouldWait_ReturnsFalsePromptly()
    {
        var gate = new TVar<bool>(false);
        var output = new TVar<int>(0);
        var stopwatch = Stopwatch.StartNew();

        bool committed = Atomic.TryRun(
            () =>
            {
                output.Value = 1;
                Atomic.Check(gate.Value);
            },
            TimeSpan.Zero);

        Assert.False(committed);
        Assert.True(stopwatch.Elapsed < Prompt);
        Assert.Equal(0, output.Value);
    }

    [Fact]
    public void TryRun_WokenBeforeTheTimeout_ReturnsTrueAndResult()
    {
        var gate = new TVar<int>(0);
        bool committed = false;
        int result = 0;

        var waiter = TestThread.Start(() => committed = Atomic.TryRun(
            () =>
            {
                int value = gate.Value;
                Atomic.Check(value > 0);
                return value;
            },
            Bounded.Limit,
            out result));

        Bounded.UntilParked(waiter, "the waiter");
        gate.Value = 9;
        waiter.Join();

        Assert.True(committed);
        Assert.Equal(9, result);
    }
}
