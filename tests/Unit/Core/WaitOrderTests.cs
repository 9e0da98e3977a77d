using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Waiters on a TVar are signalled in the order they parked. Signalling walks the TVar's wait list
/// from its head, so these tests check the list itself: its order after waiters park one by one,
/// and that a woken waiter which parks again keeps its place ahead of newcomers.
/// </summary>
public sealed class WaitOrderTests
{
    [Fact]
    public void Retry_WaitersParkedOneAfterAnother_AreQueuedInParkOrderAndKeepTheirPlaceWhenReparked()
    {
        const int Waiters = 5;
        var gate = new TVar<int>(0, "fifo-gate");
        var attempts = new int[Waiters + 1];
        var ticketOf = new long[Waiters + 1];
        var threads = new TestThread[Waiters + 1];

        TestThread StartWaiter(int index) => TestThread.Start(
            () => Atomic.Run(() =>
            {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
                Interlocked.Increment(ref attempts[index]);
#pragma warning restore STM0003
                Atomic.Check(gate.Value >= 100);
            }),
            $"waiter {index}");

        for (int i = 0; i < Waiters; i++)
        {
            threads[i] = StartWaiter(i);
            WaitUntilParked(threads[i], gate, i + 1);
            ticketOf[i] = Tickets(gate)[^1];
        }

        var firstOrder = Tickets(gate);
        Assert.Equal(ticketOf[..Waiters], firstOrder);

        // Wake them all without satisfying anyone: each re-runs once and parks again.
        gate.Write(1);
        Bounded.Until(
            () => Enumerable.Range(0, Waiters).All(i => Volatile.Read(ref attempts[i]) == 2),
            "every waiter to re-run once");
        for (int i = 0; i < Waiters; i++)
        {
            WaitUntilParked(threads[i], gate, Waiters);
        }

        threads[Waiters] = StartWaiter(Waiters);
        WaitUntilParked(threads[Waiters], gate, Waiters + 1);
        ticketOf[Waiters] = Tickets(gate)[^1];
        var secondOrder = Tickets(gate);

        gate.Write(100);
        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(ticketOf, secondOrder);
        Assert.True(ticketOf.Zip(ticketOf.Skip(1)).All(pair => pair.First < pair.Second), "tickets follow the park order");
        Assert.Equal(0, WaiterCount(gate));
    }

    [Fact]
    public void Retry_WaiterCompleted_LeavesNoRegistrationOnAnyTVarItRead()
    {
        var a = new TVar<int>(0, "a");
        var b = new TVar<int>(0, "b");
        var waiter = TestThread.Start(() => Atomic.Run(() => Atomic.Check(a.Value + b.Value > 0)));

        Bounded.Until(() => WaiterCount(a) == 1 && WaiterCount(b) == 1 && waiter.IsBlocked, "the waiter to park on a and b");
        b.Write(1);
        waiter.Join();

        Assert.Equal(0, WaiterCount(a));
        Assert.Equal(0, WaiterCount(b));
    }

    [Fact]
    public void Run_CancelledWait_LeavesNoRegistration()
    {
        var gate = new TVar<bool>(false, "cancel-gate");
        using var cts = new CancellationTokenSource();
        var waiter = TestThread.Start(() => Atomic.Run(() => Atomic.Check(gate.Value), cts.Token));

        WaitUntilParked(waiter, gate, 1);
        cts.Cancel();

        Assert.IsAssignableFrom<OperationCanceledException>(waiter.JoinCapturing());
        Assert.Equal(0, WaiterCount(gate));
    }

    [Fact]
    public void TryRun_TimedOutWait_LeavesNoRegistration()
    {
        var gate = new TVar<bool>(false, "timeout-gate");

        Assert.False(Atomic.TryRun(() => Atomic.Check(gate.Value), TimeSpan.FromMilliseconds(20)));

        Assert.Equal(0, WaiterCount(gate));
    }

    [Fact]
    public async Task RunAsync_CancelledWait_LeavesNoRegistration()
    {
        var gate = new TVar<bool>(false, "async-cancel-gate");
        using var cts = new CancellationTokenSource();
        var pending = Atomic.RunAsync(() => Atomic.Check(gate.Value), cts.Token).AsTask();

        Assert.Equal(1, WaiterCount(gate));
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Bounded.Limit));

        Assert.Equal(0, WaiterCount(gate));
    }

    private static void WaitUntilParked<T>(TestThread thread, TVar<T> tvar, int expectedWaiters)
    {
        Bounded.Until(
            () => thread.IsBlocked && WaiterCount(tvar) == expectedWaiters,
            $"{expectedWaiters} waiters to be parked on {tvar.Name}");
    }

    private static int WaiterCount<T>(TVar<T> tvar) => tvar.WaitList?.Count ?? 0;

    /// <summary>The tickets of the waiters in the TVar's wait list, head (signalled first) to tail.</summary>
    private static long[] Tickets<T>(TVar<T> tvar) => tvar.WaitList?.Tickets ?? [];
}
