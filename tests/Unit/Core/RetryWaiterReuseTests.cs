using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Reuse of pooled Retry waiters (<c>Stm.Internal.RetryWaiter</c>): a waiter whose cancellation
/// callback ran, or may still be running on the cancelling thread, is never handed out again (that
/// callback would cancel its next user's wait); one whose callback was unregistered before it ran
/// goes back to the pool. Synchronous and asynchronous waits are released by the same code; the
/// cancelled case is checked on an asynchronous wait, whose callback is registered before
/// <c>WaitAsync</c> returns (a synchronous wait registers it after a spin, so a test could not tell
/// whether it cancelled the wait before or after). The Coyote scenario <c>CancellationRacesWakeUp</c>
/// explores a synchronous wait whose callback is still running. They run alone: they rent the pool
/// empty to see what it holds.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class RetryWaiterReuseTests
{
    /// <summary>More waiters than the pool retains: renting this many takes every pooled one.</summary>
    private const int MoreThanThePoolHolds = 2_048;

    [Fact]
    public async Task WaitAsync_Cancelled_TheReleasedWaiterIsNeverRentedAgain()
    {
        using var cts = new CancellationTokenSource();
        RetryWaiter waiter = RetryWaiter.Rent(default, isAsync: true);
        ValueTask<bool> pending = waiter.WaitAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        waiter.Release();
        Assert.False(RentsBack(waiter), "a waiter whose cancellation callback ran was handed out again");
    }

    [Fact]
    public void WaitSync_SignalledWithATokenNeverCancelled_TheReleasedWaiterIsRentedAgain()
    {
        using var cts = new CancellationTokenSource();
        RetryWaiter waiter = RetryWaiter.Rent(default, isAsync: false);
        bool signalled = false;
        var parked = TestThread.Start(() => signalled = waiter.WaitSync(Timeout.Infinite, cts.Token), "signalled waiter");
        Bounded.UntilParked(parked, "the waiter");

        waiter.Signal(new TurnLine());

        Assert.Null(parked.JoinCapturing());
        Assert.True(signalled);
        waiter.Release();
        Assert.True(RentsBack(waiter), "a waiter whose cancellation callback was unregistered before it ran was not pooled again");
    }

    /// <summary>Rents more waiters than the pool holds, looks for <paramref name="released"/> among them, and returns them all.</summary>
    private static bool RentsBack(RetryWaiter released)
    {
        var rented = new RetryWaiter[MoreThanThePoolHolds];
        for (int i = 0; i < rented.Length; i++)
        {
            rented[i] = RetryWaiter.Rent(default, isAsync: false);
        }

        bool found = Array.IndexOf(rented, released) >= 0;
        foreach (RetryWaiter waiter in rented)
        {
            waiter.Release();
        }

        return found;
    }
}
