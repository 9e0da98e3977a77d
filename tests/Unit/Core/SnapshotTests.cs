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
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
                if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
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
            a.Write(2);
            b.Write(2);
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
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
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
                a.Write(i);
                b.Write(i);
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

        a.Write(1);
        int seenOnOtherThread = 0;
        TestThread.Start(() => seenOnOtherThread = Atomic.Run(() => a.Value)).Join();

        Assert.Equal(1, seenOnOtherThread);
    }

    [Fact]
    public void ReadOnly_LongScanHeldWhileWritersCommit_ReadsKeptOldVersionsOnFirstAttempt()
    {
        // Long enough that the engine stops moving the snapshot forward and reads old versions.
        const int Vars = 150;
        var vars = Enumerable.Range(0, Vars).Select(i => new TVar<int>(0, $"scan{i}")).ToArray();
        using var halfway = new ManualResetEventSlim();
        using var writersDone = new ManualResetEventSlim();
        int runs = 0;
        int sum = -1;
        int lastSeen = -1;

        var reader = TestThread.Start(() => Atomic.Run(() =>
        {
            int s = 0;
            for (int i = 0; i < Vars - 1; i++)
            {
                s += vars[i].Value;
            }

#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runs) == 1)
#pragma warning restore STM0003
            {
                halfway.Set();
                Bounded.Wait(writersDone, "the writers to finish");
            }

            lastSeen = vars[Vars - 1].Value;
            sum = s + lastSeen;
        }));

        Bounded.Wait(halfway, "the reader to scan all but the last TVar");
        for (int round = 1; round <= 500; round++)
        {
            // Each commit keeps the total at zero: +round on the first TVar, -round on the last.
            int r = round;
            Atomic.Run(() =>
            {
                vars[0].Value += r;
                vars[Vars - 1].Value -= r;
            });
        }

        writersDone.Set();
        reader.Join();

        Assert.Equal(1, runs);
        Assert.Equal(0, lastSeen);
        Assert.Equal(0, sum);
    }
}
