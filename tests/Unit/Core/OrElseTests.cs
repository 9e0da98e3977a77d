using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class OrElseTests
{
    [Fact]
    public void OrElse_FirstCommits_SecondDoesNotRun()
    {
        var a = new TVar<int>(0);
        bool secondRan = false;

        Atomic.Run(() => Atomic.OrElse(() => { a.Value = 1; }, () => { secondRan = true; }));

        Assert.Equal(1, a.Value);
        Assert.False(secondRan);
    }

    [Fact]
    public void OrElse_FirstRetries_RollsBackFirstWritesAndRunsSecond()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);
        var gate = new TVar<bool>(false);
        int seenBySecond = -1;

        Atomic.Run(() =>
        {
            a.Write(1);
            Atomic.OrElse(
                () =>
                {
                    a.Write(2);
                    b.Write(2);
                    Atomic.Check(gate.Value);
                },
                () =>
                {
                    seenBySecond = a.Value * 10 + b.Value;
                    b.Write(3);
                });
        });

        Assert.Equal(10, seenBySecond);
        Assert.Equal(1, a.Value);
        Assert.Equal(3, b.Value);
    }

    [Fact]
    public void OrElse_FirstIsRetry_RunsSecond()
    {
        var a = new TVar<int>(0);

        Atomic.Run(() => Atomic.OrElse(Atomic.Retry, () => { a.Value = 1; }));

        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void OrElseOfT_ReturnsTheResultOfTheBranchThatRan()
    {
        var gate = new TVar<bool>(false);

        int fromSecond = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                Atomic.Check(gate.Value);
                return 1;
            },
            () => 2));
        int fromFirst = Atomic.Run(() => Atomic.OrElse(() => 1, () => 2));

        Assert.Equal(2, fromSecond);
        Assert.Equal(1, fromFirst);
    }

    [Fact]
    public void OrElse_FirstRetries_ItsHandlersAreDroppedAndItsAfterRollbackRuns()
    {
        var gate = new TVar<bool>(false);
        var commits = new List<string>();
        var rollbacks = new List<string>();

        Atomic.Run(() =>
        {
            commits.Clear();
            rollbacks.Clear();
            Atomic.OrElse(
                () =>
                {
                    Atomic.AfterCommit(() => commits.Add("first"));
                    Atomic.AfterRollback(() => rollbacks.Add("first"));
                    Atomic.Check(gate.Value);
                },
                () =>
                {
                    Atomic.AfterCommit(() => commits.Add("second"));
                    Atomic.AfterRollback(() => rollbacks.Add("second"));
                });
        });

        Assert.Equal(new[] { "second" }, commits);
        Assert.Equal(new[] { "first" }, rollbacks);
    }

    [Fact]
    public void OrElse_FirstThrows_ExceptionPropagatesAndSecondDoesNotRun()
    {
        var a = new TVar<int>(0);
        bool secondRan = false;
        var thrown = new TestException();

        var caught = Assert.Throws<TestException>(() => Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                a.Write(1);
                throw thrown;
            },
            () => { secondRan = true; })));

        Assert.Same(thrown, caught);
        Assert.False(secondRan);
        Assert.Equal(0, a.Value);
    }

    [Fact]
    public void OrElse_FirstThrowsAndOuterCatches_FirstWritesRolledBackOuterWritesKept()
    {
        var a = new TVar<int>(0);
        int seenAfterCatch = -1;

        Atomic.Run(() =>
        {
            a.Write(1);
            try
            {
                Atomic.OrElse(
                    () =>
                    {
                        a.Write(2);
                        throw new TestException();
                    },
                    () => { a.Value = 3; });
            }
            catch (TestException)
            {
                seenAfterCatch = a.Value;
            }
        });

        Assert.Equal(1, seenAfterCatch);
        Assert.Equal(1, a.Value);
    }

    [Fact]
    public void OrElse_BothRetryWithNothingRead_ThrowsInvalidOperationException()
    {
        var written = new TVar<int>(0);

        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            written.Write(1);
            Atomic.OrElse(Atomic.Retry, Atomic.Retry);
        }));

        Assert.Equal(0, written.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void OrElse_BothRetry_WaitsOnTheUnionOfBothBranchesReads(int branchToWake)
    {
        var left = new TVar<int>(0, "left");
        var right = new TVar<int>(0, "right");
        var unrelated = new TVar<int>(0, "unrelated");
        int runs = 0;
        string? taken = null;

        var waiter = TestThread.Start(() => taken = Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            return Atomic.OrElse(
                () =>
                {
                    Atomic.Check(left.Value > 0);
                    return "left";
                },
                () =>
                {
                    Atomic.Check(right.Value > 0);
                    return "right";
                });
        }));

        Bounded.UntilParked(waiter, "the waiter");
        unrelated.Write(1);
        int runsAfterUnrelated = Volatile.Read(ref runs);
        (branchToWake == 0 ? left : right).Write(1);
        waiter.Join();

        Assert.Equal(1, runsAfterUnrelated);
        Assert.Equal(2, runs);
        Assert.Equal(branchToWake == 0 ? "left" : "right", taken);
    }

    [Fact]
    public void OrElse_BothRetry_WritesOfBothBranchesAreDiscarded()
    {
        var gate = new TVar<bool>(false);
        var first = new TVar<int>(0);
        var second = new TVar<int>(0);

        var waiter = TestThread.Start(() => Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                first.Write(1);
                Atomic.Check(gate.Value);
            },
            () =>
            {
                second.Write(1);
                Atomic.Check(gate.Value);
            })));

        Bounded.UntilParked(waiter, "the waiter");
        var seenWhileParked = (first.Value, second.Value);
        gate.Write(true);
        waiter.Join();

        Assert.Equal((0, 0), seenWhileParked);
        Assert.Equal((1, 0), (first.Value, second.Value));
    }

    [Fact]
    public void OrElse_NestedInSecondBranch_FallsThroughToTheThird()
    {
        var gate = new TVar<bool>(false);
        var trace = new List<string>();

        string result = Atomic.Run(() =>
        {
            trace.Clear();
            return Atomic.OrElse(
                () =>
                {
                    trace.Add("a");
                    Atomic.Check(gate.Value);
                    return "a";
                },
                () => Atomic.OrElse(
                    () =>
                    {
                        trace.Add("b");
                        Atomic.Check(gate.Value);
                        return "b";
                    },
                    () =>
                    {
                        trace.Add("c");
                        return "c";
                    }));
        });

        Assert.Equal("c", result);
        Assert.Equal(new[] { "a", "b", "c" }, trace);
    }

    [Fact]
    public void OrElse_NestedInFirstBranch_FallsThroughToTheOuterSecond()
    {
        var gate = new TVar<bool>(false);
        var a = new TVar<int>(0);

        string result = Atomic.Run(() => Atomic.OrElse(
            () => Atomic.OrElse(
                () =>
                {
                    a.Write(1);
                    Atomic.Check(gate.Value);
                    return "a";
                },
                () =>
                {
                    a.Write(2);
                    Atomic.Check(gate.Value);
                    return "b";
                }),
            () => "c" + a.Value));

        Assert.Equal("c0", result);
        Assert.Equal(0, a.Value);
    }

    [Fact]
    public void OrElse_InnerFirstRetriesInnerSecondCommits_OuterSecondDoesNotRun()
    {
        var gate = new TVar<bool>(false);
        var a = new TVar<int>(0);

        string result = Atomic.Run(() => Atomic.OrElse(
            () => Atomic.OrElse(
                () =>
                {
                    a.Write(1);
                    Atomic.Check(gate.Value);
                    return "a";
                },
                () =>
                {
                    a.Write(a.Value + 2);
                    return "b";
                }),
            () => "c"));

        Assert.Equal("b", result);
        Assert.Equal(2, a.Value);
    }

    [Fact]
    public void OrElse_ThreeBranchesAllRetry_WokenByAWriteToTheLastBranchRead()
    {
        var vars = new[] { new TVar<int>(0, "x"), new TVar<int>(0, "y"), new TVar<int>(0, "z") };
        string? taken = null;

        var waiter = TestThread.Start(() => taken = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                Atomic.Check(vars[0].Value > 0);
                return "x";
            },
            () => Atomic.OrElse(
                () =>
                {
                    Atomic.Check(vars[1].Value > 0);
                    return "y";
                },
                () =>
                {
                    Atomic.Check(vars[2].Value > 0);
                    return "z";
                }))));

        Bounded.UntilParked(waiter, "the waiter");
        vars[2].Write(1);
        waiter.Join();

        Assert.Equal("z", taken);
    }

    [Fact]
    public void OrElse_FirstSucceedsThenOuterRetries_WaitsOnFirstBranchReads()
    {
        var inBranch = new TVar<int>(0, "in-branch");
        var outer = new TVar<int>(0, "outer");
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            int seen = Atomic.OrElse(() => inBranch.Value, () => -1);
            Atomic.Check(seen > 0 || outer.Value > 0);
        }));

        Bounded.UntilParked(waiter, "the waiter");
        inBranch.Write(1);
        waiter.Join();

        Assert.Equal(2, runs);
    }

    [Fact]
    public void OrElse_NullBranch_ThrowsArgumentNullExceptionNamingIt()
    {
        var first = Assert.Throws<ArgumentNullException>(() => Atomic.Run(() => Atomic.OrElse(null!, () => { })));
        var second = Assert.Throws<ArgumentNullException>(() => Atomic.Run(() => Atomic.OrElse(() => { }, null!)));
        var firstOfT = Assert.Throws<ArgumentNullException>(() => Atomic.Run(() => Atomic.OrElse(null!, () => 1)));
        var secondOfT = Assert.Throws<ArgumentNullException>(() => Atomic.Run(() => Atomic.OrElse(() => 1, null!)));

        Assert.Equal("first", first.ParamName);
        Assert.Equal("second", second.ParamName);
        Assert.Equal("first", firstOfT.ParamName);
        Assert.Equal("second", secondOfT.ParamName);
    }

    [Fact]
    public void OrElse_FirstRetriesThenOuterThrows_FirstBranchAfterRollbackRunsOnlyOnce()
    {
        var gate = new TVar<bool>(false);
        int firstRollbacks = 0;
        int outerRollbacks = 0;

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            Atomic.AfterRollback(() => outerRollbacks++);
            Atomic.OrElse(
                () =>
                {
                    Atomic.AfterRollback(() => firstRollbacks++);
                    Atomic.Check(gate.Value);
                },
                () => { });
            throw new TestException();
        }));

        Assert.Equal(1, firstRollbacks);
        Assert.Equal(1, outerRollbacks);
    }

    [Fact]
    public void OrElse_RetryInsideNestedRunInFirstBranch_RunsSecond()
    {
        var gate = new TVar<bool>(false);
        var a = new TVar<int>(0);

        string taken = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                Atomic.Run(() =>
                {
                    a.Write(1);
                    Atomic.Check(gate.Value);
                });
                return "first";
            },
            () => "second"));

        Assert.Equal("second", taken);
        Assert.Equal(0, a.Value);
    }

    [Fact]
    public void OrElse_SecondThrowsAfterFirstRetried_PropagatesAndCommitsNothing()
    {
        var gate = new TVar<bool>(false);
        var a = new TVar<int>(0);
        var thrown = new TestException();

        var caught = Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            a.Write(1);
            Atomic.OrElse(
                () =>
                {
                    a.Write(2);
                    Atomic.Check(gate.Value);
                },
                () =>
                {
                    a.Write(3);
                    throw thrown;
                });
        }));

        Assert.Same(thrown, caught);
        Assert.Equal(0, a.Value);
    }
}
