using Stm.Internal;
using Stm.Tests.Unit.Core;
using Xunit;

namespace Stm.Tests.Unit.Checkouts;

/// <summary>
/// Contention management for checkout bodies under <c>Atomic.RunAsync</c>: a run that keeps losing
/// holds priority as a synchronous run does, so a body that awaits between its read and its write
/// commits under a stream of short conflicting writers. Priority is process-wide, so these tests run
/// alone.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class CheckoutPriorityTests
{
    /// <summary>The conflicts after which the engine gives a run priority.</summary>
    private const int ConflictsBeforePriority = 6;

    /// <summary>How many attempts the writers interfere with; a run without priority takes one more.</summary>
    private const int InterferedAttempts = 40;

    [Fact]
    public async Task RunAsyncCheckout_UnderAStreamOfShortConflictingWriters_CommitsOnceItHoldsPriority()
    {
        var x = new TVar<int>(0, "x");
        var y = new TVar<int>(0, "y");
        using var read = new SemaphoreSlim(0);
        using var written = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        long heldBackBefore = ContentionManager.CommitsHeldBack;

        // Commits x each time the body has read it, then tells the body.
        var writer = TestThread.Start(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (read.Wait(TimeSpan.FromMilliseconds(20)))
                {
                    x.Modify(n => n + 1);
                    written.Release();
                }
            }
        });

        int attempts = 0;
        try
        {
            Task run = Atomic.RunAsync(
                async (checkout, ct) =>
                {
                    int v = checkout.Read(x);
                    if (Interlocked.Increment(ref attempts) <= InterferedAttempts)
                    {
                        // The await between the read and the write, where the writer commits; while the
                        // run holds priority the writer is held back and this wait runs out instead.
                        read.Release();
                        _ = await written.WaitAsync(TimeSpan.FromMilliseconds(300), ct);
                    }

                    checkout.Write(y, v + 1);
                },
                stop.Token).AsTask();

            // A run that never takes priority backs off longer after every conflict: within the bound
            // it is still losing. Say so, rather than time out, and let the token end it.
            Task finished = await Task.WhenAny(run, Task.Delay(Bounded.Limit));
            Assert.True(
                finished == run,
                $"the checkout run had not committed after {Bounded.Limit.TotalSeconds:F0} s and {Volatile.Read(ref attempts)} attempts: it never held priority over the writer");
            await run;
        }
        finally
        {
            stop.Cancel();
            writer.Join();
        }

        Assert.InRange(attempts, ConflictsBeforePriority + 1, InterferedAttempts);
        Assert.True(ContentionManager.CommitsHeldBack > heldBackBefore, "no commit of x waited for the prioritised checkout run");

        // Each attempt let one writer commit; the committing attempt read the others' increments.
        Assert.Equal(attempts, x.Value);
        Assert.Equal(attempts, y.Value);
    }
}
