using Microsoft.Coyote.Specifications;
using Stm.Internal;
using Xunit;

namespace Stm.Tests.Coyote;

/// <summary>
/// Checks the harness itself: on code with a known race and no STM (if these fail, the build did not
/// rewrite the assemblies or the explorer is misconfigured, and the engine tests prove nothing), and
/// that an exploration stops when a schedule leaves the engine's process-wide state busy.
/// </summary>
public sealed class ExplorerSelfTests
{
    [Fact]
    public void Explore_UnsynchronisedCounter_FindsLostUpdate()
    {
        ExplorationResult result = CoyoteExplorer.Explore("racy-counter", RacyCounter, 50);
        Assert.True(result.FoundBug, $"the explorer missed a plain read-modify-write race: {result}");
        result.AssertFullyControlled();
    }

    [Fact]
    public void Explore_InterlockedCounter_FindsNothing()
    {
        ExplorationResult result = CoyoteExplorer.Explore("interlocked-counter", InterlockedCounter, 50);
        Assert.False(result.FoundBug, result.ToString());
        result.AssertFullyControlled();
    }

    /// <summary>
    /// The other tests assert that Coyote met no uncontrolled call; this shows such a call is
    /// reported at all (<see cref="Parallel.Invoke(Action[])"/> runs its actions on threads Coyote
    /// does not schedule), so that assertion can fail.
    /// </summary>
    [Fact]
    public void Explore_UncontrolledParallelInvoke_IsReported()
    {
        ExplorationResult result = CoyoteExplorer.Explore("uncontrolled-parallel", UncontrolledParallelInvoke, 5);
        Assert.Contains(nameof(Parallel.Invoke), result.UncontrolledInvocations);
        Assert.ThrowsAny<Exception>(result.AssertFullyControlled);
    }

    /// <summary>
    /// A schedule that ends with the engine's process-wide state busy (here the version clock held,
    /// as a sole commit stopped at the step bound leaves it) stops the exploration with an error
    /// naming the schedule: every later schedule in the process would spin on that clock.
    /// </summary>
    [Fact]
    public void Explore_ScheduleLeavesTheVersionClockHeld_StopsWithAnError()
    {
        long pausedAt = 0;
        bool paused = false;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => CoyoteExplorer.Explore(
                "clock-left-held",
                () =>
                {
                    paused = VersionClock.TryPause(out pausedAt);
                    Specification.Assert(paused, "the clock was held before the schedule");
                },
                5));
            Assert.Contains("schedule 1 left the engine busy (the version clock is held", error.Message);
        }
        finally
        {
            // Not "pausedAt != 0": when this test runs first in the process the clock is paused at 0.
            if (paused)
            {
                VersionClock.Resume(pausedAt);
            }
        }
    }

    private static void RacyCounter()
    {
        int[] box = [0];
        Task[] workers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            // Two atomic steps, not one: the explorer may run the other worker between them.
            int seen = Interlocked.CompareExchange(ref box[0], 0, 0);
            Interlocked.Exchange(ref box[0], seen + 1);
        }))];
        Task.WaitAll(workers);
        Specification.Assert(box[0] == 2, $"lost update: {box[0]}");
    }

    private static void UncontrolledParallelInvoke()
    {
        int[] box = [0];
        Parallel.Invoke(() => Interlocked.Increment(ref box[0]), () => Interlocked.Increment(ref box[0]));
        Specification.Assert(box[0] == 2, $"lost update: {box[0]}");
    }

    private static void InterlockedCounter()
    {
        int[] box = [0];
        Task[] workers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() => Interlocked.Increment(ref box[0])))];
        Task.WaitAll(workers);
        Specification.Assert(box[0] == 2, $"lost update: {box[0]}");
    }
}
