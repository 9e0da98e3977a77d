using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// <see cref="Transactional.RequestRetry"/>: <see cref="Atomic.Retry"/> without the exception. A
/// top-level run waits as after Retry; a nested run or an OrElse branch throws the retry signal when
/// its body returns; outside a transaction it is refused.
/// </summary>
public sealed class RequestRetryTests
{
    [Fact]
    public void RequestRetry_TopLevel_DiscardsTheAttemptWaitsForAReadTVarAndRunsAgain()
    {
        var gate = new TVar<int>(0, "gate");
        var output = new TVar<int>(0, "output");
        int runs = 0;
        int result = 0;

        var waiter = TestThread.Start(() => result = Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            int value = gate.Value;
            output.Write(-1);
            if (value == 0)
            {
                Transactional.RequestRetry();
                return 0;
            }

            output.Write(value);
            return value * 10;
        }));

        int seenWhileParked = ValueWhileParked(waiter, output, () => gate.Write(4));

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(40, result);
        Assert.Equal(4, output.Value);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public void RequestRetry_ThenATVarAccess_ThrowsTheRetrySignalAndStillWaits()
    {
        var gate = new TVar<bool>(false);
        var other = new TVar<int>(0);
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            if (!gate.Value)
            {
                Transactional.RequestRetry();
            }

            other.Write(1);
        }));

        int seenWhileParked = ValueWhileParked(waiter, other, () => gate.Write(true));

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(1, other.Value);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public void RequestRetry_InOrElsesFirstBranch_RunsTheSecondBranch()
    {
        var empty = new TVar<int>(0);
        var written = new TVar<int>(0);

        string taken = Atomic.Run(() => Atomic.OrElse(
            () =>
            {
                written.Write(1);
                if (empty.Value == 0)
                {
                    Transactional.RequestRetry();
                }

                return "first";
            },
            () => "second"));

        Assert.Equal("second", taken);
        Assert.Equal(0, written.Value);
    }

    [Fact]
    public void RequestRetry_InANestedRun_RetriesTheWholeTransaction()
    {
        var gate = new TVar<bool>(false);
        var outer = new TVar<int>(0);
        int runs = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            outer.Value += 1;
            Atomic.Run(() =>
            {
                if (!gate.Value)
                {
                    Transactional.RequestRetry();
                }
            });
        }));

        int seenWhileParked = ValueWhileParked(waiter, outer, () => gate.Write(true));

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(1, outer.Value);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public void RequestRetry_OutsideATransaction_ThrowsInvalidOperationException()
    {
        var error = Assert.Throws<InvalidOperationException>(Transactional.RequestRetry);

        Assert.Contains("Retry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestRetry_WithNothingRead_ThrowsInvalidOperationExceptionAndCommitsNothing()
    {
        var written = new TVar<int>(0);

        Assert.Throws<InvalidOperationException>(() => Atomic.Run(() =>
        {
            written.Write(1);
            Transactional.RequestRetry();
        }));

        Assert.Equal(0, written.Value);
    }

    [Fact]
    public void RequestRetry_WithTimeout_GivesUpAndCommitsNothing()
    {
        var gate = new TVar<bool>(false);
        var written = new TVar<int>(0);

        bool committed = Atomic.TryRun(
            () =>
            {
                written.Write(1);
                if (!gate.Value)
                {
                    Transactional.RequestRetry();
                }
            },
            TimeSpan.FromMilliseconds(20));

        Assert.False(committed);
        Assert.Equal(0, written.Value);
    }

    [Fact]
    public void RequestRetry_TopLevel_ThrowsNothingOnTheWaitingThread()
    {
        var gate = new TVar<bool>(false, "gate");
        int waitingThreadId = 0;
        int thrownOnWaitingThread = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == Volatile.Read(ref waitingThreadId))
            {
                Interlocked.Increment(ref thrownOnWaitingThread);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            var waiter = TestThread.Start(() =>
            {
                Volatile.Write(ref waitingThreadId, Environment.CurrentManagedThreadId);
                Transactional.Run(gate, static g =>
                {
                    if (!g.Value)
                    {
                        Transactional.RequestRetry();
                    }
                });
            });
            Bounded.UntilParked(waiter, "the waiter");
            bool parked = !waiter.IsFinished;
            gate.Write(true);
            waiter.Join();

            Assert.True(parked, "The run returned without waiting.");
            Assert.Equal(0, Volatile.Read(ref thrownOnWaitingThread));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
    }

    [Fact]
    public async Task RequestRetry_TopLevelRunAsync_WaitsWithoutAThreadAndRunsAgainWhenWoken()
    {
        var gate = new TVar<int>(0, "gate");
        var output = new TVar<int>(0, "output");

        Task<int> pending = Transactional.RunAsync((Gate: gate, Output: output), static args =>
        {
            int value = args.Gate.Value;
            args.Output.Write(-1);
            if (value == 0)
            {
                Transactional.RequestRetry();
                return 0;
            }

            args.Output.Write(value);
            return value * 2;
        }).AsTask();
        bool completedBeforeTheWrite = pending.IsCompleted;
        int seenWhileWaiting = output.Value;
        gate.Write(21);

        Assert.False(completedBeforeTheWrite);
        Assert.Equal(0, seenWhileWaiting);
        Assert.Equal(42, await pending.WaitAsync(Bounded.Limit));
        Assert.Equal(21, output.Value);
    }

    [Fact]
    public void RequestRetry_InANestedTransactionalRun_UnwindsTheCallerAndRetriesTheWholeTransaction()
    {
        var gate = new TVar<bool>(false);
        var outer = new TVar<int>(0);
        int runs = 0;
        int reachedAfterTheNestedRun = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            outer.Value += 1;
            Transactional.Run(gate, static g =>
            {
                if (!g.Value)
                {
                    Transactional.RequestRetry();
                }
            });
#pragma warning disable STM0003 // counts how often the caller's code after the nested run is reached
            Interlocked.Increment(ref reachedAfterTheNestedRun);
#pragma warning restore STM0003
        }));

        int seenWhileParked = ValueWhileParked(waiter, outer, () => gate.Write(true));

        Assert.Equal(0, seenWhileParked);
        Assert.Equal(1, outer.Value);
        Assert.Equal(2, Volatile.Read(ref runs));
        Assert.Equal(1, Volatile.Read(ref reachedAfterTheNestedRun));
    }

    [Fact]
    public void RequestRetry_OutsideATransaction_SaysWhichMemberAndWhereToCallIt()
    {
        var error = Assert.Throws<InvalidOperationException>(Transactional.RequestRetry);

        Assert.StartsWith("Transactional.RequestRetry can only be called inside a transaction", error.Message, StringComparison.Ordinal);
        Assert.False(Atomic.InTransaction);
    }

    /// <summary>
    /// Waits until <paramref name="waiter"/> parks, reads <paramref name="written"/> (what its
    /// discarded attempt wrote must not show), wakes it with <paramref name="open"/> and joins it.
    /// </summary>
    private static int ValueWhileParked(TestThread waiter, TVar<int> written, Action open)
    {
        Bounded.UntilParked(waiter, "the waiter");
        int seen = written.Value;
        open();
        waiter.Join();
        return seen;
    }
}
