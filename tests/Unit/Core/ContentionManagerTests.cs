using System.Runtime.CompilerServices;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Contention management holds back only the commits that would make the prioritised run lose
/// again, never for longer than its grant, and so gives a long transaction its commit under a
/// stream of short conflicting writers. Priority is process-wide, so these tests run alone.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class ContentionManagerTests
{
    /// <summary>The conflicts after which the engine gives a run priority (the engine's own threshold is checked by the tests below).</summary>
    private const int ConflictsBeforePriority = 6;

    [Fact]
    public void PriorityHolder_BlockedInItsBody_DoesNotHoldBackWritersOfOtherTVars()
    {
        var x = new TVar<int>(0, "x");
        var y = new TVar<int>(0, "y");
        var unrelated = new TVar<int>(0, "unrelated");
        using var blocked = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var attempts = new StrongBox<int>();
        var holder = StartHolderThatBlocksWithPriority(x, y, blocked, gate, attempts);
        int holderTicket = ContentionManager.Holder;
        long heldBackBefore = ContentionManager.CommitsHeldBack;

        TestThread.Start(() => unrelated.Write(1)).Join();
        TestThread.Start(() => Atomic.Run(() => unrelated.Value += y.Value + 1)).Join();

        long heldBack = ContentionManager.CommitsHeldBack - heldBackBefore;
        gate.Set();
        holder.Join();
        Assert.NotEqual(0, holderTicket);
        Assert.Equal(0, heldBack);
        Assert.Equal(2, unrelated.Value);
        Assert.Equal(ConflictsBeforePriority + 1, attempts.Value);
        Assert.Equal(ConflictsBeforePriority, y.Value);
    }

    [Fact]
    public void PriorityHolder_BlockedInItsBody_HoldsBackAWriterOfWhatItReadUntilItCommits()
    {
        // The grant is measured on a driven clock that this test never advances: it cannot run out
        // while a loaded machine is slow to start the writer, so the writer must park.
        ContentionClock.StartDriving();
        try
        {
            var x = new TVar<int>(0, "x");
            var y = new TVar<int>(0, "y");
            using var blocked = new ManualResetEventSlim();
            using var gate = new ManualResetEventSlim();
            var attempts = new StrongBox<int>();
            var holder = StartHolderThatBlocksWithPriority(x, y, blocked, gate, attempts);

            var writer = TestThread.Start(() => x.Modify(n => n + 100));
            Bounded.Until(() => ContentionManager.ParkedCommitters == 1 || writer.IsFinished, "the writer of x to park or finish");
            bool parked = ContentionManager.ParkedCommitters == 1;
            gate.Set();
            holder.Join();
            writer.Join();

            Assert.True(parked, "the writer of a TVar the holder read went ahead instead of waiting for it");
            Assert.Equal(ConflictsBeforePriority + 1, attempts.Value);
            Assert.Equal(ConflictsBeforePriority, y.Value);
            Assert.Equal(ConflictsBeforePriority + 100, x.Value);
        }
        finally
        {
            ContentionClock.StopDriving();
        }
    }

    [Fact]
    public void PriorityHolder_WaitingForAnotherThreadsTransactionOnWhatItRead_DoesNotDeadlock()
    {
        var c = new TVar<int>(0, "c");
        var done = new TVar<int>(0, "done");
        const int SelfInflictedConflicts = ConflictsBeforePriority + 4;
        int attempts = 0;

        var run = TestThread.Start(() => Atomic.Run(() =>
        {
            _ = c.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell forced conflicts from the prioritised attempt
            if (Interlocked.Increment(ref attempts) <= SelfInflictedConflicts)
#pragma warning restore STM0003
            {
                // Waits for a transaction that writes what this one read: with priority, that
                // writer must not wait for this body forever.
#pragma warning disable STM0004 // the body waits for another thread's transaction on purpose: that is the case under test
                Assert.True(Task.Run(() => c.Modify(n => n + 1)).Wait(Bounded.Limit), "the inner writer hung");
#pragma warning restore STM0004
            }

            done.Value = 1;
        }));
        run.Join();
        TestThread.Start(() => c.Modify(n => n + 1)).Join();

        Assert.Equal(SelfInflictedConflicts + 1, attempts);
        Assert.Equal(SelfInflictedConflicts + 1, c.Value);
        Assert.Equal(1, done.Value);
    }

    [Fact]
    public void LongTransaction_UnderAStreamOfShortConflictingWriters_CommitsOnceItHoldsPriority()
    {
        int attempts = RunLongTransactionAgainstWriters(maxInterferedAttempts: 40);

        Assert.InRange(attempts, ConflictsBeforePriority + 1, 40);
    }

    /// <summary>
    /// A transaction that reads <c>x</c>, lets a writer thread commit to <c>x</c>, waits up to
    /// 300 ms for that commit, then writes. Every attempt is interfered with, up to
    /// <paramref name="maxInterferedAttempts"/>; returns how many attempts the transaction took.
    /// </summary>
    private static int RunLongTransactionAgainstWriters(int maxInterferedAttempts)
    {
        var x = new TVar<int>(0, "x");
        var y = new TVar<int>(0, "y");
        using var read = new SemaphoreSlim(0);
        using var written = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
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
        var run = TestThread.Start(() => Atomic.Run(() =>
        {
            int v = x.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell forced conflicts from the prioritised attempt
            if (Interlocked.Increment(ref attempts) <= maxInterferedAttempts)
#pragma warning restore STM0003
            {
                read.Release();
                _ = written.Wait(TimeSpan.FromMilliseconds(300));
            }

            y.Value = v + 1;
        }));
        run.Join();
        stop.Cancel();
        writer.Join();
        return attempts;
    }

    /// <summary>
    /// Starts a run that reads <paramref name="x"/> and loses <see cref="ConflictsBeforePriority"/>
    /// forced conflicts on it, then, holding priority, blocks in its body (as on I/O, a lock or an
    /// event) until <paramref name="gate"/> is set, and writes what it read to <paramref name="y"/>.
    /// Returns once the run blocks; <paramref name="attempts"/> counts its attempts.
    /// </summary>
    private static TestThread StartHolderThatBlocksWithPriority(
        TVar<int> x, TVar<int> y, ManualResetEventSlim blocked, ManualResetEventSlim gate, StrongBox<int> attempts)
    {
        var holder = TestThread.Start(() => Atomic.Run(() =>
        {
            int v = x.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell forced conflicts from the prioritised attempt
            if (Interlocked.Increment(ref attempts.Value) <= ConflictsBeforePriority)
#pragma warning restore STM0003
            {
                TestThread.Start(() => x.Modify(n => n + 1)).Join();
            }
            else
            {
                blocked.Set();
                Bounded.Wait(gate, "the test to let the holder finish");
            }

            y.Value = v;
        }));
        Bounded.Wait(blocked, "the holder to block in its prioritised attempt");
        return holder;
    }
}
