using System.Diagnostics;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Many threads (more than cores) on few TVars: opacity, serializability (no write skew) and
/// progress (no livelock, no starvation) under a steady stream of conflicts.
/// </summary>
[Trait("Category", "Stress")]
public sealed class ContentionTests
{
    private const int Accounts = 8;
    private const int Total = 1_000;

    [Fact]
    public void Run_TransfersUnderContention_EveryAttemptSeesTheConservedTotal()
    {
        const int Writers = 4;
        const int Readers = 2;
        const int Transfers = 4_000;
        var accounts = Enumerable.Range(0, Accounts).Select(i => new TVar<int>(Total / Accounts, $"account{i}")).ToArray();
        var audit = new TVar<long>(0, "audit");
        long tornViews = 0;
        long divideByZero = 0;
        int writersLeft = Writers;
        using var start = new Barrier(Writers + Readers);

        TestThread.RunAll(Writers + Readers, thread =>
        {
            var random = new Random(thread);
            start.SignalAndWait(Bounded.Limit);
            if (thread < Writers)
            {
                for (int i = 0; i < Transfers; i++)
                {
                    int from = random.Next(Accounts);
                    int to = random.Next(Accounts);
                    int amount = random.Next(1, 50);
                    Atomic.Run(() =>
                    {
                        // Read every account so the whole state is in the snapshot, then move.
                        int sum = 0;
                        for (int k = 0; k < Accounts; k++)
                        {
                            sum += accounts[k].Value;
                        }

                        if (sum != Total)
                        {
#pragma warning disable STM0003 // counts what every attempt saw, aborted ones too: that count is what the test checks
                            Interlocked.Increment(ref tornViews);
#pragma warning restore STM0003
                        }

                        accounts[from].Value -= amount;
                        accounts[to].Value += amount;
                    });
                }

                Interlocked.Decrement(ref writersLeft);
            }
            else
            {
                bool update = thread % 2 == 0;
                while (Volatile.Read(ref writersLeft) > 0)
                {
                    Atomic.Run(() =>
                    {
                        int sum = 0;
                        for (int k = 0; k < Accounts; k++)
                        {
                            sum += accounts[k].Value;
                        }

                        try
                        {
                            // Divides by zero exactly when the view is torn by one unit.
                            _ = Total / (sum - Total + 1);
                        }
                        catch (DivideByZeroException)
                        {
#pragma warning disable STM0003 // counts what every attempt saw, aborted ones too: that count is what the test checks
                            Interlocked.Increment(ref divideByZero);
#pragma warning restore STM0003
                        }

                        if (sum != Total)
                        {
#pragma warning disable STM0003 // counts what every attempt saw, aborted ones too: that count is what the test checks
                            Interlocked.Increment(ref tornViews);
#pragma warning restore STM0003
                        }

                        if (update)
                        {
                            audit.Write(audit.Value + 1);
                        }
                    });
                }
            }
        });

        Assert.Equal(0, Interlocked.Read(ref tornViews));
        Assert.Equal(0, Interlocked.Read(ref divideByZero));
        Assert.Equal(Total, accounts.Sum(a => a.Value));
    }

    [Fact]
    public void Run_WithdrawalsUnderConstraint_NeverViolateIt()
    {
        // Write skew: each transaction reads both x and y, checks x + y >= amount, and withdraws
        // from only one of them. Under snapshot isolation the sum would go negative. Each round
        // starts all threads together from x = y = 50; the barrier's post-phase action checks the
        // constraint and resets the accounts while every thread waits.
        const int Threads = 6;
        const int Rounds = 300;
        var x = new TVar<int>(50, "x");
        var y = new TVar<int>(50, "y");
        int violations = 0;
        int withdrawals = 0;
        using var round = new Barrier(Threads, _ =>
        {
            if (x.Value + y.Value < 0)
            {
                violations++;
            }

            Atomic.Run(() =>
            {
                x.Write(50);
                y.Write(50);
            });
        });

        TestThread.RunAll(Threads, thread =>
        {
            var target = thread % 2 == 0 ? x : y;
            for (int r = 0; r < Rounds; r++)
            {
                bool withdrew = Atomic.Run(() =>
                {
                    if (x.Value + y.Value >= 60)
                    {
                        target.Value -= 60;
                        return true;
                    }

                    return false;
                });
                if (withdrew)
                {
                    Interlocked.Increment(ref withdrawals);
                }

                round.SignalAndWait(Bounded.Limit);
            }
        });

        Assert.Equal(0, violations);
        Assert.Equal(Rounds, withdrawals);
    }

    [Fact]
    public void Run_ReadOnlyOverManyTVarsWhileWritersCommit_CommitsOnFirstAttempt()
    {
        const int Vars = 100;
        const int Writers = 4;
        const int ReaderTransactions = 300;
        var vars = Enumerable.Range(0, Vars).Select(i => new TVar<int>(0, $"v{i}")).ToArray();
        int stop = 0;
        long readerBodyRuns = 0;
        long badSums = 0;
        using var start = new Barrier(Writers + 1);

        var writers = Enumerable.Range(0, Writers).Select(w => TestThread.Start(() =>
        {
            var random = new Random(w);
            start.SignalAndWait(Bounded.Limit);
            while (Volatile.Read(ref stop) == 0)
            {
                int a = random.Next(Vars);
                int b = random.Next(Vars);
                Atomic.Run(() =>
                {
                    vars[a].Value += 1;
                    vars[b].Value -= 1;
                });
            }
        })).ToArray();

        try
        {
            start.SignalAndWait(Bounded.Limit);
            for (int t = 0; t < ReaderTransactions; t++)
            {
                int sum = Atomic.Run(() =>
                {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
                    Interlocked.Increment(ref readerBodyRuns);
#pragma warning restore STM0003
                    int s = 0;
                    foreach (var v in vars)
                    {
                        s += v.Value;
                    }

                    return s;
                });
                if (sum != 0)
                {
                    badSums++;
                }
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            foreach (var writer in writers)
            {
                writer.Join();
            }
        }

        Assert.Equal(0, badSums);
        Assert.Equal(ReaderTransactions, readerBodyRuns);
    }

    [Fact]
    public void Run_LongTransactionAgainstStreamOfShortConflictingWriters_CommitsWithBoundedAttempts()
    {
        const int Vars = 200;
        const int Writers = 4;
        var vars = Enumerable.Range(0, Vars).Select(i => new TVar<int>(0, $"hot{i}")).ToArray();
        var total = new TVar<long>(0, "total");
        int stop = 0;
        long writerCommits = 0;
        int longAttempts = 0;
        long statsAttempts = -1;
        using var start = new Barrier(Writers + 1);

        var writers = Enumerable.Range(0, Writers).Select(w => TestThread.Start(() =>
        {
            var random = new Random(100 + w);
            start.SignalAndWait(Bounded.Limit);
            while (Volatile.Read(ref stop) == 0)
            {
                int index = random.Next(Vars);
                Atomic.Run(() => { vars[index].Value += 1; });
                Interlocked.Increment(ref writerCommits);
            }
        })).ToArray();

        var stopwatch = new Stopwatch();
        try
        {
            var longRunner = TestThread.Start(() =>
            {
                start.SignalAndWait(Bounded.Limit);

                // Let the writers get going before the long transaction starts.
                Bounded.Until(() => Interlocked.Read(ref writerCommits) > 1_000, "the writers to commit");
                long attemptsBefore = Stm.Internal.TransactionStatistics.Attempts;
                stopwatch.Start();
                Atomic.Run(() =>
                {
#pragma warning disable STM0003 // counts the runs of the body on purpose: the re-runs are what the test observes
                    Interlocked.Increment(ref longAttempts);
#pragma warning restore STM0003
                    long sum = 0;
                    foreach (var v in vars)
                    {
                        sum += v.Value;
                        Thread.SpinWait(50);
                    }

                    total.Write(sum);
                });
                stopwatch.Stop();
                statsAttempts = Stm.Internal.TransactionStatistics.Attempts - attemptsBefore;
            });
            longRunner.Join();
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            foreach (var writer in writers)
            {
                writer.Join();
            }
        }

        Assert.True(
            longAttempts is >= 1 and < 1_000,
            $"The long transaction needed {longAttempts} attempts ({stopwatch.Elapsed}) against {Interlocked.Read(ref writerCommits)} writer commits.");
        Assert.Equal(longAttempts, statsAttempts);
        Assert.True(total.Value > 0, "the long transaction committed a sum of the hot TVars");
    }

    [Fact]
    public void Run_SixtyFourThreadsIncrementOneTVar_AllCommitWithoutLivelock()
    {
        const int Threads = 64;
        const int PerThread = 200;
        var counter = new TVar<int>(0, "hot");
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, _ =>
        {
            start.SignalAndWait(Bounded.Limit);
            for (int i = 0; i < PerThread; i++)
            {
                Atomic.Run(() => { counter.Value = counter.Value + 1; });
            }
        });

        Assert.Equal(Threads * PerThread, counter.Value);
    }

    [Fact]
    public void Run_ManyThreadsOnDisjointAndSharedTVars_KeepPerThreadAndSharedCountsExact()
    {
        const int Threads = 8;
        const int PerThread = 2_000;
        var own = Enumerable.Range(0, Threads).Select(i => new TVar<int>(0)).ToArray();
        var shared = new TVar<int>(0);
        using var start = new Barrier(Threads);

        TestThread.RunAll(Threads, thread =>
        {
            start.SignalAndWait(Bounded.Limit);
            for (int i = 0; i < PerThread; i++)
            {
                Atomic.Run(() =>
                {
                    own[thread].Value += 1;
                    if (i % 4 == 0)
                    {
                        shared.Value += 1;
                    }
                });
            }
        });

        Assert.All(own, v => Assert.Equal(PerThread, v.Value));
        Assert.Equal(Threads * (PerThread / 4), shared.Value);
    }
}
