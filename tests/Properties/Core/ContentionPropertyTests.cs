using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Properties.Core;

/// <summary>
/// Contention management over generated shapes: a long transaction reads some TVars, and during
/// each attempt a writer on another thread commits to one of them (the attempt waits up to
/// <see cref="InterferenceWait"/> for that commit), for up to <see cref="InterferedAttempts"/> attempts.
/// After a few conflicts the run must hold priority, hold the writer back, and commit within
/// <see cref="MaxAttempts"/> attempts; and while it holds priority, commits of TVars it never read
/// or wrote must not wait for it (the engine's count of held-back commits must not move). Runs alone:
/// priority is process-wide.
/// </summary>
[Collection(nameof(SeededBugCollection))]
public sealed class ContentionPropertyTests
{
    /// <summary>Attempts the writer interferes with; a run that never gets priority takes one more.</summary>
    private const int InterferedAttempts = 30;

    /// <summary>
    /// The bound on attempts: the engine gives priority after 6 conflicts, and the grant (twice the
    /// longest attempt, from 10 ms) outgrows <see cref="InterferenceWait"/> within a few more.
    /// </summary>
    private const int MaxAttempts = 20;

    private static readonly TimeSpan InterferenceWait = TimeSpan.FromMilliseconds(50);

    [Property(MaxTest = 8, Arbitrary = [typeof(CoreArbitraries)])]
    public Property LongTransaction_GeneratedInterference_CommitsOncePrioritisedAndHoldsBackOnlyItsWriters(ContentionScenario scenario)
    {
        var reads = Enumerable.Range(0, scenario.Reads).Select(i => new TVar<int>(0, $"read{i}")).ToArray();
        var unrelated = Enumerable.Range(0, scenario.UnrelatedWriters).Select(i => new TVar<int>(0, $"unrelated{i}")).ToArray();
        var result = new TVar<int>(0, "result");
        using var request = new SemaphoreSlim(0);
        using var written = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var interferer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (request.Wait(TimeSpan.FromMilliseconds(20)))
                {
                    reads[scenario.Interfered].Modify(x => x + 1);
                    written.Release();
                }
            }
        })
        {
            IsBackground = true,
            Name = "interfering writer",
        };
        interferer.Start();

        var attempts = 0;
        var prioritisedAttempts = 0;
        long heldBackUnrelated = 0;
        string? failure = null;
        var run = new Thread(() =>
        {
            try
            {
                Atomic.Run(() =>
                {
                    var attempt = ++attempts;
                    var sum = 0;
                    foreach (var read in reads)
                    {
                        sum += read.Value;
                        scenario.BodyPause.Run();
                    }

                    if (ContentionManager.Holder != 0)
                    {
                        // This run is the only one losing here, so the holder is this run.
                        prioritisedAttempts++;
                        heldBackUnrelated += CommitsHeldBackDuring(() => WriteOnOtherThreads(unrelated));
                    }

                    if (attempt <= InterferedAttempts)
                    {
                        request.Release();
                        _ = written.Wait(InterferenceWait);
                    }

                    result.Value = sum + attempt;
                });
            }
            catch (Exception exception)
            {
                failure = exception.ToString();
            }
        })
        {
            IsBackground = true,
            Name = "long transaction",
        };
        run.Start();
        var finished = run.Join(Workers.Timeout);
        stop.Cancel();
        interferer.Join(Workers.Timeout);

        var ok = finished && failure is null && attempts <= MaxAttempts && heldBackUnrelated == 0;
        return ok.Label(
            $"{scenario}: finished {finished}, {attempts} attempt(s) (bound {MaxAttempts}), {prioritisedAttempts} with priority, "
            + $"{heldBackUnrelated} unrelated commit(s) held back {failure}");
    }

    private static long CommitsHeldBackDuring(Action action)
    {
        var before = ContentionManager.CommitsHeldBack;
        action();
        return ContentionManager.CommitsHeldBack - before;
    }

    /// <summary>Commits once to each TVar, each from a thread of its own, and waits for them all.</summary>
    private static void WriteOnOtherThreads(TVar<int>[] tvars)
    {
        var threads = tvars.Select(tvar => new Thread(() => tvar.Modify(x => x + 1)) { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join(Workers.Timeout);
        }
    }
}
