using Stm.Internal;
using Xunit;

namespace Stm.Tests.Unit.Core;

/// <summary>
/// Contention management: a run that keeps losing conflicts gets priority and then commits. The
/// conflicts are forced with events, so the number of attempts is exact. Runs alone, because the
/// priority token is global: while a test holds it, every other commit in the process waits.
/// </summary>
[Collection(SequentialCoreCollection.Name)]
public sealed class PriorityTests
{
    /// <summary>More forced conflicts than the engine tolerates before it gives a run priority.</summary>
    private const int ForcedConflicts = 6;

    [Fact]
    public void Run_LosesConflictsRepeatedly_GetsPriorityAndCommits()
    {
        var counter = new TVar<int>(0, "contended");
        using var read = new SemaphoreSlim(0);
        using var written = new SemaphoreSlim(0);
        int runs = 0;
        long conflicts = -1;

        var held = TestThread.Start(() =>
        {
            long before = TransactionStatistics.Conflicts;
            Atomic.Run(() =>
            {
                int value = counter.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
                if (Interlocked.Increment(ref runs) <= ForcedConflicts)
#pragma warning restore STM0003
                {
                    read.Release();
                    Bounded.Wait(written, "the competing write");
                }

                counter.Write(value + 1);
            });
            conflicts = TransactionStatistics.Conflicts - before;
        });

        for (int i = 0; i < ForcedConflicts; i++)
        {
            Bounded.Wait(read, "the held transaction to read");
            counter.Write(counter.Value + 10);
            written.Release();
        }

        JoinWithinLimit(held);
        Assert.Equal(ForcedConflicts + 1, runs);
        Assert.Equal(ForcedConflicts, conflicts);
        Assert.Equal((ForcedConflicts * 10) + 1, counter.Value);
    }

    [Fact]
    public void AfterRollback_HandlerWritesTVarAfterPriorityAttemptThrows_CompletesAndRethrows()
    {
        var counter = new TVar<int>(0, "contended-throw");
        var log = new TVar<int>(0, "rollback-log");
        using var read = new SemaphoreSlim(0);
        using var written = new SemaphoreSlim(0);
        int runs = 0;

        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            int value = counter.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            int run = Interlocked.Increment(ref runs);
#pragma warning restore STM0003
            if (run <= ForcedConflicts)
            {
                read.Release();
                Bounded.Wait(written, "the competing write");
                counter.Write(value + 1);
                return;
            }

            // This attempt runs with priority. Its rollback handler writes a TVar outside the
            // transaction, as AfterRollback handlers may.
            Atomic.AfterRollback(() => log.Write(run));
            throw new TestException();
        }));

        for (int i = 0; i < ForcedConflicts; i++)
        {
            Bounded.Wait(read, "the held transaction to read");
            counter.Write(counter.Value + 10);
            written.Release();
        }

        var error = JoinWithinLimit(held);
        Assert.IsType<TestException>(error);
        Assert.Equal(ForcedConflicts + 1, log.Value);
    }

    [Fact]
    public void AfterRollback_NestedHandlerWritesTVarDuringPriorityAttempt_Completes()
    {
        var counter = new TVar<int>(0, "contended-nested");
        var log = new TVar<int>(0, "nested-rollback-log");
        using var read = new SemaphoreSlim(0);
        using var written = new SemaphoreSlim(0);
        int runs = 0;

        var held = TestThread.Start(() => Atomic.Run(() =>
        {
            int value = counter.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell the first run of the body from its re-runs
            if (Interlocked.Increment(ref runs) <= ForcedConflicts)
#pragma warning restore STM0003
            {
                read.Release();
                Bounded.Wait(written, "the competing write");
            }
            else
            {
                try
                {
                    Atomic.Run(() =>
                    {
                        Atomic.AfterRollback(() => log.Write(1));
                        throw new TestException();
                    });
                }
                catch (TestException)
                {
                    // The outer transaction goes on and commits.
                }
            }

            counter.Write(value + 1);
        }));

        for (int i = 0; i < ForcedConflicts; i++)
        {
            Bounded.Wait(read, "the held transaction to read");
            counter.Write(counter.Value + 10);
            written.Release();
        }

        Assert.Null(JoinWithinLimit(held));
        Assert.Equal(1, log.Value);
        Assert.Equal((ForcedConflicts * 10) + 1, counter.Value);
    }

    /// <summary>Joins <paramref name="thread"/> within the hang limit and returns what it threw.</summary>
    private static Exception? JoinWithinLimit(TestThread thread)
    {
        Assert.True(thread.TryJoin(Bounded.Limit, out var error), $"The run did not finish within {Bounded.Limit}.");
        return error;
    }
}
