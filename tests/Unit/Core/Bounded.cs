using System.Diagnostics;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Time bounds for concurrency tests: every wait in this suite goes through here, so a test that
/// would hang (a lost wake-up, a deadlock, a livelock) fails with a message instead.
/// </summary>
internal static class Bounded
{
    /// <summary>The bound of every wait, unless a test that plants a bug has shortened it.</summary>
    private static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(30);

    /// <summary>A shorter bound set by <see cref="Shorten"/>, in ticks (0 when none).</summary>
    private static long s_shortenedTicks;

    /// <summary>The longest any single wait may take before the test fails.</summary>
    public static TimeSpan Limit
    {
        get
        {
            long ticks = Interlocked.Read(ref s_shortenedTicks);
            return ticks == 0 ? DefaultLimit : TimeSpan.FromTicks(ticks);
        }
    }

    /// <summary>
    /// Shortens <see cref="Limit"/> until the returned scope is disposed, for a test that runs another
    /// test with a bug planted: what the bug loses (a wake-up) never comes, so any bound shows the loss,
    /// and a short one keeps the proof quick. Only for tests that run alone (the bound is process-wide).
    /// </summary>
    public static IDisposable Shorten(TimeSpan limit)
    {
        Interlocked.Exchange(ref s_shortenedTicks, limit.Ticks);
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => Interlocked.Exchange(ref s_shortenedTicks, 0);
    }

    /// <summary>Waits for <paramref name="signal"/>; fails the test if it is not set within <see cref="Limit"/>.</summary>
    public static void Wait(ManualResetEventSlim signal, string what)
    {
        Assert.True(signal.Wait(Limit), $"Timed out after {Limit} waiting for {what}.");
    }

    /// <summary>Takes one count of <paramref name="semaphore"/>; fails the test if none comes within <see cref="Limit"/>.</summary>
    public static void Wait(SemaphoreSlim semaphore, string what)
    {
        Assert.True(semaphore.Wait(Limit), $"Timed out after {Limit} waiting for {what}.");
    }

    /// <summary>Waits for <paramref name="countdown"/>; fails the test if it does not reach zero within <see cref="Limit"/>.</summary>
    public static void Wait(CountdownEvent countdown, string what)
    {
        Assert.True(countdown.Wait(Limit), $"Timed out after {Limit} waiting for {what}.");
    }

    /// <summary>Spins (yielding) until <paramref name="condition"/> holds; fails the test after <see cref="Limit"/>.</summary>
    public static void Until(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        var spinner = default(SpinWait);
        while (!condition())
        {
            if (stopwatch.Elapsed > Limit)
            {
                Assert.Fail($"Timed out after {Limit} waiting until {what}.");
            }

            spinner.SpinOnce(sleep1Threshold: -1);
            if (spinner.Count > 200)
            {
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="thread"/> is blocked (parked in <c>Retry</c>). Only meaningful for a
    /// thread whose sole possible blocking point at that moment is the transactional wait.
    /// </summary>
    public static void UntilParked(TestThread thread, string what)
    {
        Until(() => thread.IsBlocked || thread.IsFinished, what + " to park");
    }
}
