using System.Diagnostics;
using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class CancellationTests
{
    /// <summary>
    /// How long a cancelled or already-cancelled wait may take to give up before it counts as hung.
    /// Nothing ever sets the gate these waits are for, so without the cancellation they would wait
    /// forever; a correct run gives up in microseconds, but a loaded two-core machine can stall a
    /// thread for seconds, so the bound only catches a hang.
    /// </summary>
    private static TimeSpan GiveUpLimit => Bounded.Limit;

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
                        output.Write(1);
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
        TimeSpan tookToGiveUp = Stopwatch.GetElapsedTime(cancelledAt, caughtAt);
        Assert.True(tookToGiveUp < GiveUpLimit, $"cancellation did not end the wait: it ended {tookToGiveUp} after Cancel");
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
                output.Write(1);
                Atomic.Check(gate.Value);
            },
            cts.Token));

        Assert.True(stopwatch.Elapsed < GiveUpLimit, $"an already-cancelled wait took {stopwatch.Elapsed} to give up");
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
                output.Write(1);
            },
            cts.Token));

        Bounded.UntilParked(waiter, "the waiter");
        gate.Write(true);
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
        gate.Write(3);
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
                output.Write(1);
                Atomic.Check(gate.Value);
            },
            timeout);

        var elapsed = stopwatch.Elapsed;
        Assert.False(committed);
        Assert.True(elapsed >= timeout * 0.8, $"TryRun gave up after {elapsed}, before its timeout {timeout}");
        Assert.True(elapsed < timeout + GiveUpLimit, $"TryRun took {elapsed} for a timeout of {timeout}: it did not give up");
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
                output.Write(1);
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
                output.Write(1);
                Atomic.Check(gate.Value);
            },
            TimeSpan.Zero);

        Assert.False(committed);
        Assert.True(stopwatch.Elapsed < GiveUpLimit, $"TryRun with a zero timeout took {stopwatch.Elapsed} to give up");
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
        gate.Write(9);
        waiter.Join();

        Assert.True(committed);
        Assert.Equal(9, result);
    }
}
