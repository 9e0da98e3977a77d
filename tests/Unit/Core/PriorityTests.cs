using System.Reflection;
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

    private static readonly TimeSpan s_hangLimit = TimeSpan.FromSeconds(3);

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

                counter.Value = value + 1;
            });
            conflicts = TransactionStatistics.Conflicts - before;
        });

        for (int i = 0; i < ForcedConflicts; i++)
        {
            Bounded.Wait(read, "the held transaction to read");
            counter.Value = counter.Value + 10;
            written.Release();
        }

        JoinOrReleasePriority(held);
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
                counter.Value = value + 1;
                return;
            }

            // This attempt runs with priority. Its rollback handler writes a TVar outside the
            // transaction, as AfterRollback handlers may.
            Atomic.AfterRollback(() => log.Value = run);
            throw new TestException();
        }));

        for (int i = 0; i < ForcedConflicts; i++)
        {
            Bounded.Wait(read, "the held transaction to read");
            counter.Value = counter.Value + 10;
            written.Release();
        }

        var error = JoinOrReleasePriority(held);
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
                        Atomic.AfterRollback(() => log.Value = 1);
                        throw new TestException();
                    });
                }
                catch (TestException)
                {
                    // The outer transaction goes on and commits.
                }
            }

            counter.Value = value + 1;
        }));

        for (int i = 0; i < ForcedConflicts; i++)
        {
            Bounded.Wait(read, "the held transaction to read");
            counter.Value = counter.Value + 10;
            written.Release();
        }

        Assert.Null(JoinOrReleasePriority(held));
        Assert.Equal(1, log.Value);
        Assert.Equal((ForcedConflicts * 10) + 1, counter.Value);
    }

    /// <summary>
    /// Joins <paramref name="thread"/>. If it hangs, frees the global priority token so that the
    /// rest of the test run is not blocked behind it, lets the thread finish, and fails.
    /// </summary>
    private static Exception? JoinOrReleasePriority(TestThread thread)
    {
        if (thread.TryJoin(s_hangLimit, out var error))
        {
            return error;
        }

        var owner = typeof(PriorityGate).GetField("s_owner", BindingFlags.NonPublic | BindingFlags.Static);
        owner?.SetValue(null, null);
        bool finishedAfterRelease = thread.TryJoin(Bounded.Limit, out _);
        Assert.Fail(
            $"The run hung for {s_hangLimit} while holding the priority token (it finished after the token was "
            + $"forcibly released: {finishedAfterRelease}).");
        return null;
    }
}
