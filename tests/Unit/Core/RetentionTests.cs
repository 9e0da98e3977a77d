using System.Runtime.CompilerServices;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Version retention: a TVar keeps only what some live snapshot can read (the newest version, the
/// newest at or below each live snapshot, and transiently the one a commit just replaced), however
/// long the snapshots stay open; old versions are freed after the snapshots close, even for TVars
/// nobody writes again. Snapshots are held open with checkouts. Runs alone: every open snapshot in
/// the process counts.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class RetentionTests
{
    /// <summary>The newest version plus the one a commit replaced (kept while a snapshot may start during a commit).</summary>
    private const int NewestAndReplaced = 2;

    [Fact]
    public void OpenSnapshot_WhileTwoWritersIncrementATVar_KeepsAFewVersionsAndStillReadsItsOwn()
    {
        var counter = new TVar<long>(0, "counter");
        using Checkout reader = Atomic.Checkout();
        Assert.Equal(0, reader.Read(counter));
        int maxVersions = 0;
        const int PerWriter = 50_000;

        TestThread.RunAll(3, index =>
        {
            if (index == 2)
            {
                // A sampler: the chain length while the writers run.
                for (int i = 0; i < 2_000; i++)
                {
                    int versions = counter.VersionCount;
                    if (versions > Volatile.Read(ref maxVersions))
                    {
                        Volatile.Write(ref maxVersions, versions);
                    }

                    Thread.Yield();
                }

                return;
            }

            for (int i = 0; i < PerWriter; i++)
            {
                Atomic.Run(() => counter.Value++);
            }
        });

        // Live snapshots: the reader's, and at most one per writer at any moment.
        Assert.InRange(maxVersions, 1, 3 + NewestAndReplaced);
        Assert.InRange(counter.VersionCount, 1, 1 + NewestAndReplaced);
        Assert.Equal(0, reader.Read(counter));
        Assert.True(reader.TryCommit());
        Assert.Equal(2 * PerWriter, counter.Value);
    }

    [Fact]
    public void TwoOpenSnapshots_KeepTheirOwnVersionsAndNothingBetween()
    {
        var tvar = new TVar<int>(0, "tvar");
        for (int i = 1; i <= 10; i++)
        {
            tvar.Write(i);
        }

        using Checkout first = Atomic.Checkout();
        Assert.Equal(10, first.Read(tvar));
        for (int i = 11; i <= 20; i++)
        {
            tvar.Write(i);
        }

        using Checkout second = Atomic.Checkout();
        Assert.Equal(20, second.Read(tvar));
        for (int i = 21; i <= 1_000; i++)
        {
            tvar.Write(i);
        }

        Assert.InRange(tvar.VersionCount, 3, 2 + NewestAndReplaced);
        Assert.Equal(10, ReadInSnapshot(first, tvar));
        Assert.Equal(20, ReadInSnapshot(second, tvar));
        Assert.Equal(1_000, tvar.Value);
    }

    /// <summary>Reads in a read-only checkout, which must always find its version.</summary>
    private static int ReadInSnapshot(Checkout checkout, TVar<int> tvar)
    {
        try
        {
            return checkout.Read(tvar);
        }
        catch (ConflictException error)
        {
            Assert.Fail($"a read-only checkout lost the version its snapshot reads: {error.Message}");
            throw;
        }
    }

    [Fact]
    public void ClosedSnapshot_OldVersionsOfTVarsNeverWrittenAgain_AreFreedWithoutFurtherWrites()
    {
        var tvars = Enumerable.Range(0, 1_000).Select(i => new TVar<int>(0, $"v{i}")).ToArray();
        Checkout reader = Atomic.Checkout();
        Assert.Equal(0, reader.Read(tvars[0]));
        for (int round = 1; round <= 20; round++)
        {
            foreach (TVar<int> tvar in tvars)
            {
                tvar.Write(round);
            }
        }

        int pinned = tvars.Max(static t => t.VersionCount);
        reader.Dispose();

        Assert.InRange(pinned, 2, 2 + NewestAndReplaced);
        Assert.All(tvars, static t => Assert.Equal(1, t.VersionCount));
        Assert.All(tvars, static t => Assert.Equal(20, t.Value));
    }

    [Fact]
    public void LostCheckout_OnceCollected_FreesTheVersionsItPinnedWithoutFurtherWrites()
    {
        var tvars = Enumerable.Range(0, 100).Select(i => new TVar<int>(0, $"lost{i}")).ToArray();
        OpenCheckoutAndLoseIt(tvars[0]);
        for (int round = 1; round <= 20; round++)
        {
            foreach (TVar<int> tvar in tvars)
            {
                tvar.Write(round);
            }
        }

        int pinned = tvars.Max(static t => t.VersionCount);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.InRange(pinned, 2, 2 + NewestAndReplaced);
        Assert.All(tvars, static t => Assert.Equal(1, t.VersionCount));
        Assert.All(tvars, static t => Assert.Equal(20, t.Value));
    }

    [Fact]
    public void LostCheckout_IsFinalizedWhileAnotherThreadHoldsTheSlotRegistryLock()
    {
        var tvar = new TVar<int>(0, "lost-while-locked");
        OpenCheckoutAndLoseIt(tvar);
        for (int i = 1; i <= 100; i++)
        {
            tvar.Write(i);
        }

        int pinned = tvar.VersionCount;
        AssertFinalizersFinishWhileTheRegistryIsLocked();

        // The finalizer withdrew the lost snapshot, and freed what it pinned.
        Assert.InRange(pinned, 2, 2 + NewestAndReplaced);
        Assert.Equal(1, tvar.VersionCount);
    }

    [Fact]
    public void IdleLeaseOfADeadThread_IsFinalizedWhileAnotherThreadHoldsTheSlotRegistryLock()
    {
        // The thread keeps its completed checkout's lease as its spare; the spare dies with the thread.
        TestThread.Start(static () =>
        {
            using Checkout checkout = Atomic.Checkout();
            checkout.Commit();
        }).Join();

        AssertFinalizersFinishWhileTheRegistryIsLocked();
    }

    /// <summary>
    /// Collects, and waits (bounded) for the finalizers while this thread holds the lock that guards
    /// the snapshot slots: a finalizer must not wait for a lock an application thread may hold.
    /// </summary>
    private static void AssertFinalizersFinishWhileTheRegistryIsLocked()
    {
        object registryLock = typeof(Atomic).Assembly.GetType("Stm.Internal.SnapshotRegistry", throwOnError: true)!
            .GetField("s_growLock", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .GetValue(null)!;
        lock (registryLock)
        {
            var finalized = Task.Run(static () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            });
            Assert.True(finalized.Wait(TimeSpan.FromSeconds(10)), "the finalizers did not finish while the snapshot registry was locked");
        }
    }

    /// <summary>Opens a checkout that reads <paramref name="tvar"/> and drops it, in a frame of its own so that nothing keeps it reachable.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OpenCheckoutAndLoseIt(TVar<int> tvar)
    {
#pragma warning disable CA2000 // lost on purpose: the finalizer must withdraw its snapshot
        Checkout lost = Atomic.Checkout();
#pragma warning restore CA2000
        Assert.Equal(0, lost.Read(tvar));
    }

    [Fact]
    public void ClosingAnOldReadOnlyTransaction_FreesTheVersionsItPinned()
    {
        var tvar = new TVar<int>(0, "alone");
        using var read = new ManualResetEventSlim();
        using var written = new ManualResetEventSlim();
        int seen = -1;
        var reader = TestThread.Start(() => seen = Atomic.Run(() =>
        {
            int value = tvar.Value;
            read.Set();
            Bounded.Wait(written, "the writes");
            return value;
        }));
        Bounded.Wait(read, "the reader to read");
        for (int i = 1; i <= 100; i++)
        {
            tvar.Write(i);
        }

        int pinned = tvar.VersionCount;
        written.Set();
        reader.Join();

        Assert.Equal(0, seen);
        Assert.InRange(pinned, 2, 2 + NewestAndReplaced);
        Assert.Equal(1, tvar.VersionCount);
    }

    [Fact]
    public void OpenSnapshot_HeapStaysBoundedWhileAWriterCommitsManyVersions()
    {
        var tvar = new TVar<string>("start", "big");
        using Checkout reader = Atomic.Checkout();
        Assert.Equal("start", reader.Read(tvar));
        for (int i = 0; i < 1_000; i++)
        {
            tvar.Write(new string('x', 100));
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < 200_000; i++)
        {
            tvar.Write(new string('y', 100));
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);

        // Keeping every version would hold 200,000 strings of about 230 bytes each: 46 MB.
        Assert.True(after - before < 4 * 1024 * 1024, $"the heap grew by {after - before:N0} bytes while one snapshot stayed open");
        Assert.Equal("start", reader.Read(tvar));
    }
}
