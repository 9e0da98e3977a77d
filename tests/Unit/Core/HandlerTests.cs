using System.Collections.Concurrent;
using Xunit;

namespace Stm.Tests.Unit.Core;

public sealed class HandlerTests
{
    [Fact]
    public void AfterCommit_RunsOnceBeforeRunReturns()
    {
        var a = new TVar<int>(0);
        int runs = 0;

        Atomic.Run(() =>
        {
            a.Write(1);
            Atomic.AfterCommit(() => runs++);
        });

        Assert.Equal(1, runs);
    }

    [Fact]
    public void AfterCommit_SeveralHandlers_RunInRegistrationOrder()
    {
        var a = new TVar<int>(0);
        var order = new List<int>();

        Atomic.Run(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                int index = i;
                Atomic.AfterCommit(() => order.Add(index));
                a.Write(i);
            }
        });

        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, order);
    }

    [Fact]
    public void AfterCommit_Handler_SeesCommittedWritesOutsideTransactionFromAnyThread()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);
        bool inTransaction = true;
        int seenHere = -1;
        var seenElsewhere = (A: -1, B: -1);

        Atomic.Run(() =>
        {
            a.Write(1);
            b.Write(2);
            Atomic.AfterCommit(() =>
            {
                inTransaction = Atomic.InTransaction;
                seenHere = a.Value;
                TestThread.Start(() => seenElsewhere = Atomic.Run(() => (a.Value, b.Value))).Join();
            });
        });

        Assert.False(inTransaction);
        Assert.Equal(1, seenHere);
        Assert.Equal((1, 2), seenElsewhere);
    }

    [Fact]
    public void AfterCommit_Handler_RunsOnTheCommittingThread()
    {
        var a = new TVar<int>(0);
        int handlerThread = -1;

        Atomic.Run(() =>
        {
            a.Write(1);
            Atomic.AfterCommit(() => handlerThread = Environment.CurrentManagedThreadId);
        });

        Assert.Equal(Environment.CurrentManagedThreadId, handlerThread);
    }

    [Fact]
    public void AfterCommit_Handler_CanRunANewTransaction()
    {
        var a = new TVar<int>(0);
        var b = new TVar<int>(0);

        Atomic.Run(() =>
        {
            a.Write(5);
            Atomic.AfterCommit(() => Atomic.Run(() => { b.Value = a.Value + 1; }));
        });

        Assert.Equal(6, b.Value);
    }

    [Fact]
    public void AfterCommit_ReadOnlyTransaction_StillRuns()
    {
        var a = new TVar<int>(3);
        int seen = 0;

        Atomic.Run(() =>
        {
            int value = a.Value;
            Atomic.AfterCommit(() => seen = value);
        });

        Assert.Equal(3, seen);
    }

    [Fact]
    public void AfterCommit_BodyThrows_DoesNotRunButAfterRollbackRunsOnce()
    {
        var a = new TVar<int>(0);
        int commits = 0;
        int rollbacks = 0;

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            a.Write(1);
            Atomic.AfterCommit(() => commits++);
            Atomic.AfterRollback(() => rollbacks++);
            throw new TestException();
        }));

        Assert.Equal(0, commits);
        Assert.Equal(1, rollbacks);
    }

    [Fact]
    public void AfterRollback_TransactionCommits_DoesNotRun()
    {
        var a = new TVar<int>(0);
        int rollbacks = 0;

        Atomic.Run(() =>
        {
            a.Write(1);
            Atomic.AfterRollback(() => rollbacks++);
        });

        Assert.Equal(0, rollbacks);
    }

    [Fact]
    public void AfterRollback_SeveralHandlersOnException_RunInRegistrationOrder()
    {
        var order = new List<int>();

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            Atomic.AfterRollback(() => order.Add(1));
            Atomic.AfterRollback(() => order.Add(2));
            throw new TestException();
        }));

        Assert.Equal(new[] { 1, 2 }, order);
    }

    [Fact]
    public void AfterCommit_RegisteredInNestedRun_RunsOnlyAfterOuterCommit()
    {
        var a = new TVar<int>(0);
        var log = new List<string>();
        int logSizeAfterNested = -1;

        Atomic.Run(() =>
        {
            log.Clear();
            Atomic.Run(() =>
            {
                a.Write(1);
                Atomic.AfterCommit(() => log.Add("nested"));
            });
            logSizeAfterNested = log.Count;
            Atomic.AfterCommit(() => log.Add("outer"));
        });

        Assert.Equal(0, logSizeAfterNested);
        Assert.Equal(new[] { "nested", "outer" }, log);
    }

    [Fact]
    public void Handlers_NestedRunRollsBack_DropsNestedAfterCommitAndRunsNestedAfterRollback()
    {
        var a = new TVar<int>(0);
        var commits = new List<string>();
        var rollbacks = new List<string>();

        Atomic.Run(() =>
        {
            commits.Clear();
            rollbacks.Clear();
            Atomic.AfterCommit(() => commits.Add("outer-1"));
            Atomic.AfterRollback(() => rollbacks.Add("outer"));
            try
            {
                Atomic.Run(() =>
                {
                    a.Write(1);
                    Atomic.AfterCommit(() => commits.Add("nested"));
                    Atomic.AfterRollback(() => rollbacks.Add("nested"));
                    throw new TestException();
                });
            }
            catch (TestException)
            {
                // The outer transaction goes on.
            }

            Atomic.AfterCommit(() => commits.Add("outer-2"));
        });

        Assert.Equal(new[] { "outer-1", "outer-2" }, commits);
        Assert.Equal(new[] { "nested" }, rollbacks);
        Assert.Equal(0, a.Value);
    }

    [Fact]
    public void Handlers_NestedRunCommitsThenOuterThrows_RunsBothAfterRollbacksAndNoAfterCommit()
    {
        var rollbacks = new List<string>();
        int commits = 0;

        Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            Atomic.AfterRollback(() => rollbacks.Add("outer"));
            Atomic.Run(() =>
            {
                Atomic.AfterCommit(() => commits++);
                Atomic.AfterRollback(() => rollbacks.Add("nested"));
            });
            throw new TestException();
        }));

        Assert.Equal(0, commits);
        Assert.Equal(2, rollbacks.Count);
        Assert.Contains("outer", rollbacks);
        Assert.Contains("nested", rollbacks);
    }

    [Fact]
    public void Handlers_AttemptAbortedByConflict_RunsItsAfterRollbackAndOnlyCommittedAttemptsAfterCommit()
    {
        var counter = new TVar<int>(0);
        using var readDone = new ManualResetEventSlim();
        using var otherCommitted = new ManualResetEventSlim();
        int bodyRuns = 0;
        int commits = 0;
        int rollbacks = 0;
        var committedValues = new ConcurrentQueue<int>();

        var held = TestThread.Start(() => Atomic.Run(() =>
        {
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            int run = Interlocked.Increment(ref bodyRuns);
#pragma warning restore STM0003
            int value = counter.Value;
            Atomic.AfterCommit(() => Interlocked.Increment(ref commits));
            Atomic.AfterCommit(() => committedValues.Enqueue(value + 1));
            Atomic.AfterRollback(() => Interlocked.Increment(ref rollbacks));
            if (run == 1)
            {
                readDone.Set();
                Bounded.Wait(otherCommitted, "the other transaction to commit");
            }

            counter.Write(value + 1);
        }));

        Bounded.Wait(readDone, "the held transaction to read the counter");
        Atomic.Run(() => { counter.Value = counter.Value + 1; });
        otherCommitted.Set();
        held.Join();

        Assert.Equal(2, bodyRuns);
        Assert.Equal(1, commits);
        Assert.Equal(1, rollbacks);
        Assert.Equal(new[] { 2 }, committedValues);
        Assert.Equal(2, counter.Value);
    }

    [Fact]
    public void AfterRollback_EachAbandonedRetryAttempt_RunsOncePerAttempt()
    {
        var level = new TVar<int>(0);
        using var attemptRead = new SemaphoreSlim(0);
        int attempts = 0;
        int rollbacks = 0;
        int commits = 0;

        var waiter = TestThread.Start(() => Atomic.Run(() =>
        {
            int value = level.Value;
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
            Interlocked.Increment(ref attempts);
#pragma warning restore STM0003
            Atomic.AfterRollback(() => Interlocked.Increment(ref rollbacks));
            Atomic.AfterCommit(() => Interlocked.Increment(ref commits));
            attemptRead.Release();
            Atomic.Check(value >= 3);
        }));

        for (int i = 1; i <= 3; i++)
        {
            Bounded.Wait(attemptRead, $"attempt {i} to read the level");
            level.Write(i);
        }

        waiter.Join();
        Assert.Equal(4, Volatile.Read(ref attempts));
        Assert.Equal(3, Volatile.Read(ref rollbacks));
        Assert.Equal(1, Volatile.Read(ref commits));
    }

    [Fact]
    public void AfterCommitAndAfterRollback_NullAction_ThrowArgumentNullExceptionNamingAction()
    {
        var commitError = Assert.Throws<ArgumentNullException>(() => Atomic.Run(() => Atomic.AfterCommit(null!)));
        var rollbackError = Assert.Throws<ArgumentNullException>(() => Atomic.Run(() => Atomic.AfterRollback(null!)));

        Assert.Equal("action", commitError.ParamName);
        Assert.Equal("action", rollbackError.ParamName);
    }

    [Fact]
    public void AfterCommit_HandlerThrows_ExceptionReachesCallerAfterCommitAndLaterHandlersStillRun()
    {
        var a = new TVar<int>(0);
        var thrown = new TestException();
        bool laterHandlerRan = false;

        var caught = Assert.Throws<TestException>(() => Atomic.Run(() =>
        {
            a.Write(1);
            Atomic.AfterCommit(() => throw thrown);
            Atomic.AfterCommit(() => laterHandlerRan = true);
        }));

        Assert.Same(thrown, caught);
        Assert.True(laterHandlerRan);
        Assert.Equal(1, a.Value);
        Assert.False(Atomic.InTransaction);
    }
}
