using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Collections;

/// <summary>
/// Regression test for an engine finding from the collections work (TCounter). docs/reference.md: "concurrent
/// commutes on the same TVar do not conflict with each other". The engine's commit used to give up
/// on a TVar whose commit lock another committer held longer than its spin limit (a preempted
/// thread, common with more threads than cores) and re-run the attempt as a conflict, so
/// commute-only transactions on one TVar aborted each other. Fixed on main (a commit now waits for
/// the lock of a TVar it only writes or commutes).
/// </summary>
[Trait("Category", "Contention")]
public sealed class CommuteContentionTests
{
    [Fact]
    public async Task Commute_WhileAnotherCommuteHoldsTheCommitLock_DoesNotConflict()
    {
        var counter = new TVar<long>(0, "shared counter");
        using var holderInside = new ManualResetEventSlim();
        using var releaseHolder = new ManualResetEventSlim();
        using var secondRolledBack = new ManualResetEventSlim();

        // The holder's commute function runs at commit, with the TVar's commit lock held: a
        // stand-in for a committer that is preempted at that moment.
        var holder = WaitHarness.StartThread(() => counter.Commute(value =>
        {
            holderInside.Set();
            releaseHolder.Wait(WaitHarness.Timeout);
            return value + 1;
        }));
        WaitHarness.WaitOrFail(holderInside, "the first commute to reach its commit");

        var second = WaitHarness.StartThread(() =>
        {
            long before = TransactionStatistics.Conflicts;
            Atomic.Run(() =>
            {
                Atomic.AfterRollback(secondRolledBack.Set);
                counter.Commute(static value => value + 1);
            });
            return TransactionStatistics.Conflicts - before;
        });

        // A conforming engine makes the second commute wait for the lock; the old one aborted it
        // within microseconds (and set the event). Give it a moment either way, then let the holder finish.
        secondRolledBack.Wait(TimeSpan.FromSeconds(1));
        releaseHolder.Set();
        await holder.WaitAsync(WaitHarness.Timeout);
        long conflicts = await second.WaitAsync(WaitHarness.Timeout);

        Assert.Equal(2, counter.Value);
        Assert.Equal(0, conflicts);
    }
}
