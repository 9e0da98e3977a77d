using Microsoft.Coyote.Specifications;

namespace Stm.Tests.Coyote;

/// <summary>
/// Small programs over checkouts (<see cref="Atomic.Checkout"/>), each ending in a check that holds
/// under every correct schedule. A checkout's blocks may run on different threads with awaits between
/// them, and its commit validates everything it read: these programs race that validation against
/// ordinary commits. Every scenario builds its own TVars: it runs once per iteration.
/// </summary>
internal static class CheckoutScenarios
{
    /// <summary>Schedules (since <see cref="ResetTally"/>) in which the checkout committed.</summary>
    private static int s_committed;

    /// <summary>Schedules (since <see cref="ResetTally"/>) in which the checkout's commit failed.</summary>
    private static int s_failed;

    /// <summary>Gets the number of explored schedules in which the checkout committed.</summary>
    public static int SchedulesCommitted => Volatile.Read(ref s_committed);

    /// <summary>Gets the number of explored schedules in which the checkout's commit failed.</summary>
    public static int SchedulesFailed => Volatile.Read(ref s_failed);

    /// <summary>Clears the tallies before an exploration (tests of this assembly never run in parallel).</summary>
    public static void ResetTally()
    {
        Volatile.Write(ref s_committed, 0);
        Volatile.Write(ref s_failed, 0);
    }

    /// <summary>
    /// A checkout reads x, awaits, writes x = seen + 10 and a marker in a second block (possibly on
    /// another thread), and commits, while another task's <c>Atomic.Run</c> adds 1 to x (a sole
    /// commit when nobody committed since its snapshot, so it takes no TVar lock). Exactly one ending
    /// is allowed: the checkout commits and the writer's update is not lost (x == 11: the writer ran
    /// before the read or after the commit), or the commit fails, having read x before the writer
    /// committed, and wrote nothing (x == 1, the marker untouched).
    /// </summary>
    public static void CommitValidationRacesSoleCommit()
    {
        var x = new TVar<int>(0, "x");
        var marker = new TVar<int>(0, "marker");
        int seen = -1;
        bool committed = false;
        Task checkoutTask = Task.Run(async () =>
        {
            using Checkout checkout = Atomic.Checkout();
            seen = checkout.Read(x);

            // The checkout belongs to no thread while it waits; the writer may commit here.
            await Task.Yield();
            checkout.Run(() =>
            {
                x.Value = seen + 10;
                marker.Value = 1;
            });
            committed = checkout.TryCommit();
        });
        Task writer = Task.Run(() => Atomic.Run(() => x.Value += 1));

        // An array, not a collection expression: that binds to WaitAll(ReadOnlySpan), which Coyote does not control.
        Task.WaitAll(new[] { checkoutTask, writer });
        int finalX = x.Value;
        int finalMarker = marker.Value;
        if (committed)
        {
            Interlocked.Increment(ref s_committed);
            Specification.Assert(
                finalX == 11 && finalMarker == 1,
                $"lost update: the checkout (read x = {seen}) committed, but x = {finalX}, marker = {finalMarker}; expected x = 11, marker = 1");
        }
        else
        {
            Interlocked.Increment(ref s_failed);
            Specification.Assert(
                seen == 0 && finalX == 1 && finalMarker == 0,
                $"failed commit: the checkout read x = {seen} and did not commit, but x = {finalX}, marker = {finalMarker}; expected it to have read 0 and written nothing (x = 1, marker = 0)");
        }
    }
}
