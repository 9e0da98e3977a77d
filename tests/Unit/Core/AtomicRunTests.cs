using System.Runtime.CompilerServices;
using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class AtomicRunTests
{
    [Fact]
    public void Run_Action_CommitsAllWrites()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);

        Atomic.Run(() =>
        {
            a.Write(1);
            b.Write(2);
        });

        Assert.Equal(1, a.Value);
        Assert.Equal(2, b.Value);
    }

    [Fact]
    public void Run_Func_ReturnsBodyResultAndCommits()
    {
        var a = new TVar<int>(20);

        int result = Atomic.Run(() =>
        {
            a.Value += 1;
            return a.Value * 2;
        });

        Assert.Equal(42, result);
        Assert.Equal(21, a.Value);
    }

    [Fact]
    public void Run_WithUncancelledToken_CommitsAndReturns()
    {
        var a = new TVar<int>(0);
        using var cts = new CancellationTokenSource();

        Atomic.Run(() => { a.Value = 1; }, cts.Token);
        int result = Atomic.Run(() => a.Value + 1, cts.Token);

        Assert.Equal(1, a.Value);
        Assert.Equal(2, result);
    }

    [Fact]
    public void TryRun_BodyCommits_ReturnsTrueAndResult()
    {
        var a = new TVar<int>(0);

        bool committed = Atomic.TryRun(() => a.Value = 5, TimeSpan.FromSeconds(5));
        bool committedWithResult = Atomic.TryRun(() => a.Value * 2, TimeSpan.FromSeconds(5), out int result);

        Assert.True(committed);
        Assert.True(committedWithResult);
        Assert.Equal(10, result);
        Assert.Equal(5, a.Value);
    }

    [Fact]
    public void TryRun_ZeroAndInfiniteTimeoutWithBodyThatCommits_ReturnTrue()
    {
        var a = new TVar<int>(0);

        Assert.True(Atomic.TryRun(() => a.Value++, TimeSpan.Zero));
        Assert.True(Atomic.TryRun(() => a.Value++, Timeout.InfiniteTimeSpan));
        Assert.True(Atomic.TryRun(() => ++a.Value, Timeout.InfiniteTimeSpan, out int result));

        Assert.Equal(3, result);
        Assert.Equal(3, a.Value);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(-1000)]
    public void TryRun_NegativeTimeout_ThrowsArgumentOutOfRangeAndRunsNothing(int milliseconds)
    {
        var a = new TVar<int>(0);
        var timeout = TimeSpan.FromMilliseconds(milliseconds);

        var error1 = Assert.Throws<ArgumentOutOfRangeException>(() => Atomic.TryRun(() => a.Value = 1, timeout));
        var error2 = Assert.Throws<ArgumentOutOfRangeException>(() => Atomic.TryRun(() => a.Value = 1, timeout, out int _));

        Assert.Equal("timeout", error1.ParamName);
        Assert.Equal("timeout", error2.ParamName);
        Assert.Equal(0, a.Value);
    }

    [Theory]
    [InlineData("Run(Action)")]
    [InlineData("Run(Func)")]
    [InlineData("Run(Action, token)")]
    [InlineData("Run(Func, token)")]
    [InlineData("TryRun(Action)")]
    [InlineData("TryRun(Func)")]
    public void Run_NullBody_ThrowsArgumentNullExceptionNamingBody(string overload)
    {
        Action call = overload switch
        {
            "Run(Action)" => () => Atomic.Run(null!),
            "Run(Func)" => () => Atomic.Run<int>(null!),
            "Run(Action, token)" => () => Atomic.Run(null!, CancellationToken.None),
            "Run(Func, token)" => () => Atomic.Run<int>(null!, CancellationToken.None),
            "TryRun(Action)" => () => Atomic.TryRun(null!, TimeSpan.FromSeconds(1)),
            "TryRun(Func)" => () => Atomic.TryRun<int>(null!, TimeSpan.FromSeconds(1), out _),
            _ => throw new ArgumentOutOfRangeException(nameof(overload)),
        };

        var error = Assert.Throws<ArgumentNullException>(call);

        Assert.Equal("body", error.ParamName);
        Assert.False(Atomic.InTransaction);
    }

    [Fact]
    public async Task RunAsync_NullBody_ThrowsArgumentNullExceptionNamingBody()
    {
        var error1 = await Assert.ThrowsAsync<ArgumentNullException>(async () => await Atomic.RunAsync((Action)null!));
        var error2 = await Assert.ThrowsAsync<ArgumentNullException>(async () => await Atomic.RunAsync<int>((Func<int>)null!));

        Assert.Equal("body", error1.ParamName);
        Assert.Equal("body", error2.ParamName);
    }

    [Fact]
    public void Run_BodyThrows_RollsBackEveryWrite()
    {
        var a = new TVar<int>(1);
        var b = new TVar<string>("b");

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            a.Write(2);
            b.Write("changed");
            a.Modify(v => v + 10);
            throw new TestException();
        }));

        Assert.Equal(1, a.Value);
        Assert.Equal("b", b.Value);
    }

    [Fact]
    public void Run_BodyThrows_PropagatesTheSameExceptionObject()
    {
        var thrown = new TestException();

        var caughtFromAction = Assert.Throws<TestException>(() => Atomic.Run(() => throw thrown));
        var caughtFromFunc = Assert.Throws<TestException>(() => Atomic.Run<int>(() => throw thrown));

        Assert.Same(thrown, caughtFromAction);
        Assert.Same(thrown, caughtFromFunc);
    }

    [Fact]
    public void Run_BodyThrows_KeepsTheOriginalStackTrace()
    {
        var a = new TVar<int>(0);

        var caught = Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            a.Write(1);
            ThrowFromDeepInsideTheBody();
        }));

        Assert.NotNull(caught.StackTrace);
        Assert.Contains(nameof(ThrowFromDeepInsideTheBody), caught.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void RunOfT_BodyThrows_KeepsTheOriginalStackTrace()
    {
        var caught = Assert.Throws<TestException>(() => Atomic.Run<int>(() =>
        {
            ThrowFromDeepInsideTheBody();
            return 1;
        }));

        Assert.NotNull(caught.StackTrace);
        Assert.Contains(nameof(ThrowFromDeepInsideTheBody), caught.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BodyThrows_IsNotRetried()
    {
        var a = new TVar<int>(0);
        int runs = 0;

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            runs++;
            a.Write(a.Value + 1);
            throw new TestException();
        }));

        Assert.Equal(1, runs);
    }

    [Fact]
    public void Run_BodyThrows_RunsAfterRollbackBeforeCallerSeesException()
    {
        var a = new TVar<int>(0);
        bool rolledBack = false;
        bool rolledBackBeforeCatch = false;

        try
        {
            Atomic.Run(() =>
            {
                a.Write(1);
                Atomic.AfterRollback(() => rolledBack = true);
                throw new TestException();
            });
        }
        catch (TestException)
        {
            rolledBackBeforeCatch = rolledBack;
        }

        Assert.True(rolledBackBeforeCatch);
        Assert.Equal(0, a.Value);
    }

    [Fact]
    public void Run_AfterBodyThrew_ThreadIsOutsideTransactionAndNextRunCommits()
    {
        var a = new TVar<int>(0);

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            a.Write(1);
            throw new TestException();
        }));

        Assert.False(Atomic.InTransaction);
        Atomic.Run(() => a.Value = 2);
        Assert.Equal(2, a.Value);
    }

    [Fact]
    public void Run_AsyncLambda_ThrowsNotSupportedExceptionMentioningAwaitAndCommitsNothing()
    {
        var a = new TVar<int>(0);

        // The lambda handed to Run is async: Run<Task> must refuse it rather than commit at its first await.
#pragma warning disable STM0001 // an async body on purpose: the test checks that it is refused with NotSupportedException
        Action call = () => Atomic.Run(async () =>
#pragma warning restore STM0001
        {
            a.Write(1);
            await Task.Yield();
        });

        var error = Assert.Throws<NotSupportedException>(call);

        Assert.Contains("await", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, a.Value);
        Assert.False(Atomic.InTransaction);
    }

    [Theory]
    [InlineData("Task")]
    [InlineData("Task<int>")]
    [InlineData("ValueTask")]
    [InlineData("ValueTask<int>")]
    public void Run_BodyReturningTaskOrValueTask_ThrowsNotSupportedExceptionMentioningAwait(string returned)
    {
        var a = new TVar<int>(0);

        // Each call throws before a ValueTask is ever returned, so there is nothing to await.
#pragma warning disable CA2012
        Action call = returned switch
        {
#pragma warning disable STM0001 // bodies that return tasks on purpose: the test checks that they are refused with NotSupportedException
            "Task" => () => Atomic.Run(() => { a.Value = 1; return Task.CompletedTask; }),
            "Task<int>" => () => Atomic.Run(() => { a.Value = 1; return Task.FromResult(1); }),
            "ValueTask" => () => Atomic.Run(() => { a.Value = 1; return ValueTask.CompletedTask; }),
            "ValueTask<int>" => () => Atomic.Run(() => { a.Value = 1; return ValueTask.FromResult(1); }),
#pragma warning restore STM0001
            _ => throw new ArgumentOutOfRangeException(nameof(returned)),
        };
#pragma warning restore CA2012

        var error = Assert.Throws<NotSupportedException>(call);

        Assert.Contains("await", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, a.Value);
    }

    [Theory]
    [InlineData("Run(Func, token)")]
    [InlineData("TryRun(Func)")]
    public void OtherRunOverloads_AsyncLambda_ThrowNotSupportedExceptionMentioningAwait(string overload)
    {
        var a = new TVar<int>(0);

        Action call = overload switch
        {
#pragma warning disable STM0001 // an async body on purpose: the test checks that it is refused with NotSupportedException
            "Run(Func, token)" => () => Atomic.Run(async () => { a.Value = 1; await Task.Yield(); }, CancellationToken.None),
            "TryRun(Func)" => () => Atomic.TryRun(async () => { a.Value = 1; await Task.Yield(); }, TimeSpan.FromSeconds(1), out _),
#pragma warning restore STM0001
            _ => throw new ArgumentOutOfRangeException(nameof(overload)),
        };

        var error = Assert.Throws<NotSupportedException>(call);

        Assert.Contains("await", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, a.Value);
    }

    [Fact]
    public async Task RunAsyncOfT_AsyncLambda_ThrowsNotSupportedExceptionMentioningAwait()
    {
        var a = new TVar<int>(0);

#pragma warning disable STM0001 // an async body on purpose: the test checks that it is refused with NotSupportedException
        var error = await Assert.ThrowsAsync<NotSupportedException>(async () => await Atomic.RunAsync(async () =>
#pragma warning restore STM0001
        {
            a.Write(1);
            await Task.Yield();
        }));

        Assert.Contains("await", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, a.Value);
    }

    [Fact]
    public void InTransaction_OutsideInsideAndAfterRun_ReportsScope()
    {
        bool inside = false;
        bool insideNested = false;

        bool before = Atomic.InTransaction;
        Atomic.Run(() =>
        {
            inside = Atomic.InTransaction;
            Atomic.Run(() => insideNested = Atomic.InTransaction);
        });
        bool after = Atomic.InTransaction;

        Assert.False(before);
        Assert.True(inside);
        Assert.True(insideNested);
        Assert.False(after);
    }

    [Fact]
    public void InTransaction_OnAnotherThreadWhileOneRuns_IsFalseThere()
    {
        bool otherThread = true;

        Atomic.Run(() => TestThread.Start(() => otherThread = Atomic.InTransaction).Join());

        Assert.False(otherThread);
    }

    [Theory]
    [InlineData("Retry")]
    [InlineData("Check(false)")]
    [InlineData("Check(true)")]
    [InlineData("OrElse(Action)")]
    [InlineData("OrElse(Func)")]
    [InlineData("AfterCommit")]
    [InlineData("AfterRollback")]
    public void TransactionOnlyMember_OutsideTransaction_ThrowsInvalidOperationException(string member)
    {
        bool branchRan = false;
        bool handlerRan = false;
        Action call = member switch
        {
            "Retry" => Atomic.Retry,
            "Check(false)" => () => Atomic.Check(false),
            "Check(true)" => () => Atomic.Check(true),
            "OrElse(Action)" => () => Atomic.OrElse(() => { branchRan = true; }, () => { branchRan = true; }),
            "OrElse(Func)" => () => Atomic.OrElse(() => { branchRan = true; return 1; }, () => { branchRan = true; return 2; }),
            "AfterCommit" => () => Atomic.AfterCommit(() => { handlerRan = true; }),
            "AfterRollback" => () => Atomic.AfterRollback(() => { handlerRan = true; }),
            _ => throw new ArgumentOutOfRangeException(nameof(member)),
        };

        var error = Assert.Throws<InvalidOperationException>(call);

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.False(branchRan);
        Assert.False(handlerRan);
        Assert.False(Atomic.InTransaction);
    }

    [Fact]
    public void TransactionOnlyMember_InsideAfterCommitHandler_ThrowsInvalidOperationException()
    {
        Exception? fromHandler = null;

        Atomic.Run(() => Atomic.AfterCommit(() => fromHandler = Record.Exception(Atomic.Retry)));

        Assert.IsType<InvalidOperationException>(fromHandler);
    }

    [Fact]
    public void Run_WhileBodyIsPaused_OtherThreadsSeeNoneOfItsWrites()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);
        using var halfway = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int attempts = 0;

        var writer = TestThread.Start(() => Atomic.Run(() =>
        {
            a.Write(1);
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref attempts) == 1)
#pragma warning restore STM0003
            {
                halfway.Set();
                Bounded.Wait(release, "the test to release the writer");
            }

            b.Write(1);
        }));

        Bounded.Wait(halfway, "the writer to write a");
        var seenInside = Atomic.Run(() => (a.Value, b.Value));
        int seenOutside = a.Value;
        release.Set();
        writer.Join();

        Assert.Equal((0, 0), seenInside);
        Assert.Equal(0, seenOutside);
        Assert.Equal((1, 1), Atomic.Run(() => (a.Value, b.Value)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFromDeepInsideTheBody()
    {
        throw new TestException();
    }
}
