using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Sole commits (<see cref="VersionClock.TryTakeForSoleCommit"/>): an update that finds the clock
/// at its snapshot takes the clock as a global commit lock instead of locking its TVars. These tests
/// hold the clock the way a sole commit does, from the test thread, and check that everything that
/// must see whole commits waits for the release. They run alone: a held clock stops every commit.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class SoleCommitTests : IDisposable
{
    /// <summary>Sole commits exist only on the counter time base.</summary>
    private readonly TimeBaseScope _counter = TimeBaseScope.Use(TimeBaseChoice.Counter);

    /// <summary>How long a check waits before concluding that a thread is held back (it can only miss a bug, never fail a correct engine).</summary>
    private static readonly TimeSpan HeldBackFor = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Updates_OnOneThread_EachMoveTheClockByOneStampAndLeaveItEven()
    {
        var counter = new TVar<int>(0);
        long before = VersionClock.Now;

        for (int i = 0; i < 10; i++)
        {
            Atomic.Run(() => counter.Value++);
        }

        long after = VersionClock.Now;
        Assert.Equal(before + (10 * VersionClock.StampStep), after);
        Assert.False(VersionClock.IsSoleCommitRunning(after));
        Assert.Equal(10, counter.Value);
    }

    [Fact]
    public void TryTakeForSoleCommit_WithASnapshotBehindTheClock_Fails()
    {
        var counter = new TVar<int>(0);
        long snapshot = VersionClock.Now;
        counter.Write(1);

        Assert.False(VersionClock.TryTakeForSoleCommit(snapshot));
        Assert.Equal(snapshot + VersionClock.StampStep, VersionClock.Now);
    }

    [Fact]
    public void ReadOutsideTransaction_WhileTheClockIsHeld_WaitsForTheRelease()
    {
        var account = new TVar<int>(5);
        int seen = -1;

        AssertHeldBackUntilRelease(() => seen = account.Value, "a read outside a transaction went past a sole commit in progress");

        Assert.Equal(5, seen);
    }

    [Fact]
    public void LockingCommit_WhileTheClockIsHeld_TakesItsStampAfterTheRelease()
    {
        // A commute always commits with locks (its function must not run while the clock is held).
        var counter = new TVar<int>(0);

        long stamp = AssertHeldBackUntilRelease(
            () => counter.Commute(static x => x + 1),
            "a locking commit took a stamp while a sole commit held the clock");

        Assert.Equal(stamp + VersionClock.StampStep, VersionClock.Now);
        Assert.Equal(1, counter.Value);
    }

    [Fact]
    public void Transaction_StartedWhileTheClockIsHeld_ReadsItsSnapshotAndCommitsAfterTheRelease()
    {
        var counter = new TVar<int>(7);
        using var read = new ManualResetEventSlim();
        using var released = new ManualResetEventSlim();
        int firstSeen = -1;
        int runs = 0;

        long stamp = HoldClock();
        TestThread writer;
        try
        {
            writer = TestThread.Start(() => Atomic.Run(() =>
            {
                int value = counter.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
                if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
                {
                    firstSeen = value;
                    read.Set();
                    Bounded.Wait(released, "the clock to be released");
                }

                counter.Write(value + 1);
            }));

            // Reading needs no wait: the snapshot (an odd read version) holds every finished commit.
            Bounded.Wait(read, "the transaction to read inside the held clock");
        }
        finally
        {
            VersionClock.ReleaseSoleCommit(stamp);
            released.Set();
        }

        writer.Join();
        Assert.Equal(7, firstSeen);
        Assert.Equal(8, counter.Value);
        Assert.False(VersionClock.IsSoleCommitRunning(VersionClock.Now));
    }

    [Fact]
    public void Update_AfterAnUnrelatedCommitMovedTheClock_CommitsAloneOnItsFirstAttempt()
    {
        var read = new TVar<int>(1);
        var written = new TVar<int>(0);
        var unrelated = new TVar<int>(0);
        long attempts = TransactionStatistics.Attempts;
        long lockingCommits = TransactionStatistics.LockingCommits;
        long clock = VersionClock.Now;

        // Another thread commits after our snapshot, so the clock no longer shows it.
        CopyPlusOneWithACommitInBetween(read, written, () => unrelated.Write(1));

        Assert.Equal(attempts + 1, TransactionStatistics.Attempts);
        Assert.Equal(lockingCommits, TransactionStatistics.LockingCommits);
        Assert.Equal(clock + (2 * VersionClock.StampStep), VersionClock.Now);
        Assert.Equal(2, written.Value);
        Assert.Equal(1, unrelated.Value);
    }

    [Fact]
    public void Update_WhoseReadChangedAfterItsSnapshot_ConflictsAndCommitsTheNewValueOnTheRerun()
    {
        var read = new TVar<int>(1);
        var written = new TVar<int>(0);
        long attempts = TransactionStatistics.Attempts;
        long conflicts = TransactionStatistics.Conflicts;

        CopyPlusOneWithACommitInBetween(read, written, () => read.Write(10));

        Assert.Equal(attempts + 2, TransactionStatistics.Attempts);
        Assert.Equal(conflicts + 1, TransactionStatistics.Conflicts);
        Assert.Equal(11, written.Value);
    }

    [Fact]
    public void Commute_CommitsWithLocks()
    {
        var counter = new TVar<int>(0);
        long lockingCommits = TransactionStatistics.LockingCommits;

        Atomic.Run(() => counter.Commute(value => value + 1));

        Assert.Equal(lockingCommits + 1, TransactionStatistics.LockingCommits);
        Assert.Equal(1, counter.Value);
    }

    /// <summary>
    /// Runs <c>written = read + 1</c> in one transaction whose first attempt, between the read and
    /// the write, waits for <paramref name="otherCommit"/> to commit on another thread.
    /// </summary>
    private static void CopyPlusOneWithACommitInBetween(TVar<int> read, TVar<int> written, Action otherCommit)
    {
        bool interfered = false;
        Atomic.Run(() =>
        {
            int value = read.Value;
            if (!interfered)
            {
                interfered = true;
                TestThread.Start(otherCommit).Join();
            }

            written.Write(value + 1);
        });
    }

    /// <summary>
    /// Holds the clock, runs <paramref name="work"/> on another thread, checks that it is still held
    /// back a while later, releases the clock and waits for the work to finish. Returns the stamp the
    /// clock was released with.
    /// </summary>
    private static long AssertHeldBackUntilRelease(Action work, string failure)
    {
        using var started = new ManualResetEventSlim();
        long stamp = HoldClock();
        TestThread worker;
        try
        {
            worker = TestThread.Start(() =>
            {
                started.Set();
                work();
            });
            Bounded.Wait(started, "the worker to start");
            Thread.Sleep(HeldBackFor);
            Assert.False(worker.IsFinished, failure);
        }
        finally
        {
            VersionClock.ReleaseSoleCommit(stamp);
        }

        worker.Join();
        return stamp;
    }

    /// <summary>Takes the clock as a sole commit would (retrying if a commit moves it meanwhile) and returns the stamp to release it with.</summary>
    private static long HoldClock()
    {
        while (true)
        {
            long now = VersionClock.NowSettled;
            if (VersionClock.TryTakeForSoleCommit(now))
            {
                return now + VersionClock.StampStep;
            }
        }
    }

    public void Dispose() => _counter.Dispose();
}
