using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>Read-only transactions read a consistent, versioned snapshot and never abort.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void ReadOnly_HeldWhileWriterCommitsBoth_SeesOldConsistentSnapshotOnFirstAttempt()
    {
        var a = new TVar<int>(1, "a");
        var b = new TVar<int>(1, "b");
        using var firstRead = new ManualResetEventSlim();
        using var writerCommitted = new ManualResetEventSlim();
        int runs = 0;
        long conflicts = -1;

        (int A, int B) seen = default;
        var reader = TestThread.Start(() =>
        {
            long before = Stm.Internal.TransactionStatistics.Conflicts;
            seen = Atomic.Run(() =>
            {
                int first = a.Value;
                if (Interlocked.Increment(ref runs) == 1)
                {
                    firstRead.Set();
                    Bounded.Wait(writerCommitted, "the writer to commit");
                }

                return (first, b.Value);
            });
            conflicts = Stm.Internal.TransactionStatistics.Conflicts - before;
        });

        Bounded.Wait(firstRead, "the reader to read a");
        Atomic.Run(() =>
        {
            a.Value = 2;
            b.Value = 2;
        });
        writerCommitted.Set();
        reader.Join();

        Assert.Equal((1, 1), seen);
        Assert.Equal(1, runs);
        Assert.Equal(0, conflicts);
        Assert.Equal((2, 2), Atomic.Run(() => (a.Value, b.Value)));
    }

    [Fact]
    public void ReadOnly_HeldWhileManyCommitsLand_StillReadsItsSnapshot()
    {
        var a = new TVar<int>(0, "a");
        var b = new TVar<int>(0, "b");
        using var firstRead = new ManualResetEventSlim();
        using var writersDone = new ManualResetEventSlim();
        int runs = 0;

        (int A, int B) seen = default;
        var reader = TestThread.Start(() => seen = Atomic.Run(() =>
        {
            int first = a.Value;
            if (Interlocked.Increment(ref runs) == 1)
            {
                firstRead.Set();
                Bounded.Wait(writersDone, "the writers to commit");
            }

            return (first, b.Value);
        }));

        Bounded.Wait(firstRead, "the reader to read a");
        for (int i = 1; i <= 1_000; i++)
        {
            Atomic.Run(() =>
            {
                a.Value = i;
                b.Value = i;
            });
        }

        writersDone.Set();
        reader.Join();

        Assert.Equal((0, 0), seen);
        Assert.Equal(1, runs);
    }

    [Fact]
    public void ReadOnly_ReadsAfterCommitThatPrecededIt_SeeThatCommit()
    {
        var a = new TVar<int>(0);

        a.Value = 1;
        int seenOnOtherThread = 0;
        TestThread.Start(() => seenOnOtherThread = Atomic.Run(() => a.Value)).Join();

        Assert.Equal(1, seenOnOtherThread);
    }
}
