using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class NestingTests
{
    [Fact]
    public void Run_Nested_SeesOuterPendingWritesAndOuterSeesNestedWrites()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);
        int seenByNested = -1;
        int seenByOuter = -1;

        Atomic.Run(() =>
        {
            a.Write(1);
            Atomic.Run(() =>
            {
                seenByNested = a.Value;
                b.Write(2);
            });
            seenByOuter = b.Value;
        });

        Assert.Equal(1, seenByNested);
        Assert.Equal(2, seenByOuter);
        Assert.Equal(1, a.Value);
        Assert.Equal(2, b.Value);
    }

    [Fact]
    public void RunOfT_Nested_ReturnsValueToOuter()
    {
        var a = new TVar<int>(20);

        int result = Atomic.Run(() => Atomic.Run(() => a.Value + 1) * 2);

        Assert.Equal(42, result);
    }

    [Fact]
    public void Run_NestedCompleted_WritesStayInvisibleUntilOuterCommits()
    {
        var a = new TVar<int>(0);
        using var nestedDone = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int attempts = 0;

        var outer = TestThread.Start(() => Atomic.Run(() =>
        {
            Atomic.Run(() => { a.Value = 1; });
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref attempts) == 1)
#pragma warning restore STM0003
            {
                nestedDone.Set();
                Bounded.Wait(release, "the test to release the outer transaction");
            }
        }));

        Bounded.Wait(nestedDone, "the nested transaction to complete");
        int seenWhileOuterRuns = a.Value;
        release.Set();
        outer.Join();

        Assert.Equal(0, seenWhileOuterRuns);
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void Run_NestedThrowsAndOuterCatches_RollsBackOnlyNestedWrites()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);
        var c = new TVar<int>(0);
        var insideAfterCatch = (A: -1, B: -1);

        Atomic.Run(() =>
        {
            a.Write(1);
            try
            {
                Atomic.Run(() =>
                {
                    a.Write(2);
                    b.Write(2);
                    throw new TestException();
                });
            }
            catch (TestException)
            {
                insideAfterCatch = (a.Value, b.Value);
            }

            c.Write(3);
        });

        Assert.Equal((1, 0), insideAfterCatch);
        Assert.Equal(1, a.Value);
        Assert.Equal(0, b.Value);
        Assert.Equal(3, c.Value);
    }

    [Fact]
    public void Run_NestedThrows_OuterCatchesTheSameExceptionObject()
    {
        var thrown = new TestException();
        Exception? caught = null;

        Atomic.Run(() =>
        {
            try
            {
                Atomic.Run(() => throw thrown);
            }
            catch (TestException e)
            {
                caught = e;
            }
        });

        Assert.Same(thrown, caught);
    }

    [Fact]
    public void Run_NestedThrowsAndOuterCatches_OuterIsNotRerun()
    {
        var a = new TVar<int>(0);
        int outerRuns = 0;
        int nestedRuns = 0;

        Atomic.Run(() =>
        {
            outerRuns++;
            try
            {
                Atomic.Run(() =>
                {
                    nestedRuns++;
                    a.Write(5);
                    throw new TestException();
                });
            }
            catch (TestException)
            {
                a.Write(a.Value + 1);
            }
        });

        Assert.Equal(1, outerRuns);
        Assert.Equal(1, nestedRuns);
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void Run_NestedThrowsAndOuterDoesNotCatch_RollsBackEverything()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            a.Write(1);
            Atomic.Run(() =>
            {
                b.Write(1);
                throw new TestException();
            });
        }));

        Assert.Equal(0, a.Value);
        Assert.Equal(0, b.Value);
        Assert.False(Atomic.InTransaction);
    }

    [Fact]
    public void Run_OuterThrowsAfterNestedCompleted_RollsBackNestedWritesToo()
    {
        var a = new TVar<int>(0);

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            Atomic.Run(() => { a.Value = 1; });
            throw new TestException();
        }));

        Assert.Equal(0, a.Value);
    }

    [Fact]
    public void Run_ThreeLevelsMiddleThrowsOuterCatches_RollsBackMiddleAndInnermostOnly()
    {
        var outer = new TVar<int>(0);
        var middle = new TVar<int>(0);
        var inner = new TVar<int>(0);

        Atomic.Run(() =>
        {
            outer.Write(1);
            try
            {
                Atomic.Run(() =>
                {
                    middle.Write(1);
                    outer.Write(10);
                    Atomic.Run(() =>
                    {
                        inner.Write(1);
                        outer.Write(100);
                    });
                    throw new TestException();
                });
            }
            catch (TestException)
            {
                // The outer transaction goes on with its own writes only.
            }
        });

        Assert.Equal(1, outer.Value);
        Assert.Equal(0, middle.Value);
        Assert.Equal(0, inner.Value);
    }

    [Fact]
    public void Run_InnermostThrowsMiddleCatches_KeepsMiddleWrites()
    {
        var middle = new TVar<int>(0);
        var inner = new TVar<int>(0);

        Atomic.Run(() => Atomic.Run(() =>
        {
            middle.Write(1);
            try
            {
                Atomic.Run(() =>
                {
                    inner.Write(1);
                    middle.Write(2);
                    throw new TestException();
                });
            }
            catch (TestException)
            {
                middle.Write(middle.Value + 10);
            }
        }));

        Assert.Equal(11, middle.Value);
        Assert.Equal(0, inner.Value);
    }

    [Fact]
    public void Run_NestedThrowsTwiceOnSameTVar_EachRollbackRestoresTheOuterValue()
    {
        var a = new TVar<int>(0);
        var seen = new List<int>();

        Atomic.Run(() =>
        {
            seen.Clear();
            a.Write(1);
            for (int i = 0; i < 2; i++)
            {
                try
                {
                    Atomic.Run(() =>
                    {
                        a.Write(a.Value + 100);
                        throw new TestException();
                    });
                }
                catch (TestException)
                {
                    seen.Add(a.Value);
                }
            }
        });

        Assert.Equal(new[] { 1, 1 }, seen);
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void Run_NestedThrowsWithLargeWriteSets_RestoresEveryOuterValueAndDropsNestedEntries()
    {
        // Enough TVars that the write set switches from a linear scan to an index.
        var vars = Enumerable.Range(0, 200).Select(i => new TVar<int>(-i)).ToArray();
        var seenAfterCatch = new int[vars.Length];

        Atomic.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                vars[i].Write(i);
            }

            try
            {
                Atomic.Run(() =>
                {
                    for (int i = 50; i < 200; i++)
                    {
                        vars[i].Write(1_000 + i);
                    }

                    throw new TestException();
                });
            }
            catch (TestException)
            {
                for (int i = 0; i < vars.Length; i++)
                {
                    seenAfterCatch[i] = vars[i].Value;
                }
            }

            // Write again one TVar whose entry the rollback dropped.
            vars[150].Write(vars[150].Value + 7);
        });

        for (int i = 0; i < vars.Length; i++)
        {
            int expectedInside = i < 100 ? i : -i;
            Assert.Equal(expectedInside, seenAfterCatch[i]);
            int expectedCommitted = i == 150 ? -150 + 7 : expectedInside;
            Assert.Equal(expectedCommitted, vars[i].Value);
        }
    }

    [Fact]
    public void Run_NestedReadsAndOverwritesOuterCommuteThenThrows_OuterCommuteIsRestored()
    {
        var counter = new TVar<int>(10);
        int seenInNested = 0;

        Atomic.Run(() =>
        {
            counter.Commute(v => v + 1);
            try
            {
                Atomic.Run(() =>
                {
                    seenInNested = counter.Value;
                    counter.Write(100);
                    throw new TestException();
                });
            }
            catch (TestException)
            {
                // Keep the outer commute only.
            }
        });

        Assert.Equal(11, seenInNested);
        Assert.Equal(11, counter.Value);
    }
}
