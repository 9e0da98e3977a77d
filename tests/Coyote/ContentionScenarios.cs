using Microsoft.Coyote.Specifications;
using Stm.Internal;

namespace Stm.Tests.Coyote;

/// <summary>
/// The priority hand-off of contention management (<see cref="ContentionManager"/>) as a program
/// Coyote can explore. It needs the contention clock driven (<see cref="DrivenContentionClock"/>):
/// on the real clock whether a grant has ended depends on wall time, not on the schedule, and a
/// held-back committer parks with a timeout that Coyote may never end.
/// </summary>
internal static class ContentionScenarios
{
    /// <summary>The conflicts after which the engine gives a run priority.</summary>
    private const int ConflictsBeforePriority = 6;

    /// <summary>Explored schedules per <see cref="HandOff"/>.</summary>
    private static readonly int[] s_schedules = new int[3];

    /// <summary>Explored <see cref="HandOff.Race"/> schedules in which the grant ended and the writer committed before the holder.</summary>
    private static int s_racesWonByGrantEnd;

    /// <summary>Gets the number of explored schedules that let the held-back writer go as <paramref name="handOff"/> says.</summary>
    /// <param name="handOff">The way the writer was let go.</param>
    /// <returns>The number of schedules since <see cref="ResetTally"/>.</returns>
    public static int Schedules(HandOff handOff) => Volatile.Read(ref s_schedules[(int)handOff]);

    /// <summary>Gets the number of explored races in which the grant's end let the writer commit before the holder.</summary>
    public static int RacesWonByGrantEnd => Volatile.Read(ref s_racesWonByGrantEnd);

    /// <summary>Clears the tallies before an exploration (tests of this assembly never run in parallel).</summary>
    public static void ResetTally()
    {
        Array.Clear(s_schedules);
        Volatile.Write(ref s_racesWonByGrantEnd, 0);
    }

    /// <summary>
    /// A run reads <c>x</c> and writes <c>y</c>; in each of its first six attempts a helper commits
    /// to <c>x</c> before it can commit, so it loses six conflicts and then holds priority. In its
    /// prioritised attempt it blocks until let go. Meanwhile a writer of an unrelated TVar must
    /// commit without waiting, and a writer of <c>x</c> (which the run marked) must be held back,
    /// parked, until it is let go (<see cref="HandOff"/>): by the holder's body returning (it then
    /// commits and gives priority up), by the end of the holder's grant (a task advances the driven
    /// clock), or by whichever of the two comes first. Every task ends, and the values are those of
    /// one of the two endings: the holder committed first (seven attempts, y = 6), or the writer
    /// committed at the grant's end and the holder re-ran once (eight attempts, y = 106).
    /// </summary>
    public static void PriorityHandOff()
    {
        // A schedule that an earlier exploration abandoned midway may have left a holder behind: it
        // would keep this run from taking priority.
        int staleHolder = ContentionManager.Holder;
        if (staleHolder != 0)
        {
            ContentionManager.Release(staleHolder);
        }

        var x = new TVar<int>(0, "x");
        var y = new TVar<int>(0, "y");
        var unrelated = new TVar<int>(0, "unrelated");
        var holding = new TaskCompletionSource();
        var letGo = new TaskCompletionSource();
        int attempts = 0;
        int holderTicket = 0;

        // Set just before each event that lets a held-back writer of x go: the holder's body
        // returning (its commit follows) or its grant ending.
        bool writerMayGo = false;

        bool holderDone = false;
        Task longRun = Task.Run(() =>
        {
            RunLong();
            Volatile.Write(ref holderDone, true);
        });

        void RunLong() => Atomic.Run(() =>
        {
            int seen = x.Value;
#pragma warning disable STM0003 // numbers the attempts on purpose, to tell forced conflicts from the prioritised attempt
            int attempt = ++attempts;
#pragma warning restore STM0003
            if (attempt <= ConflictsBeforePriority)
            {
                // A short writer of what this run read commits before it can: a conflict.
#pragma warning disable STM0004 // the body waits for another task's transaction on purpose: that forces the conflict
                Task.Run(() => Atomic.Run(() => x.Value += 1)).Wait();
#pragma warning restore STM0004
            }
            else if (attempt == ConflictsBeforePriority + 1)
            {
#pragma warning disable STM0003 // records what the prioritised attempt saw, checked after the run
                holderTicket = ContentionManager.Holder;
                holding.SetResult();
                letGo.Task.Wait();
                Volatile.Write(ref writerMayGo, true);
#pragma warning restore STM0003
            }

            y.Value = seen;
        });

        holding.Task.Wait();
        long heldBackBefore = ContentionManager.CommitsHeldBack;
        Task unrelatedWriter = Task.Run(() => Atomic.Run(() => unrelated.Value += 1));

        // Until it has committed, or has counted itself held back (which it must never do).
        while (!unrelatedWriter.IsCompleted && ContentionManager.CommitsHeldBack == heldBackBefore)
        {
            Thread.Yield();
        }

        bool unrelatedHeldBack = ContentionManager.CommitsHeldBack != heldBackBefore;

        int parkedBefore = ContentionManager.ParkedCommitters;
        bool relatedWentEarly = false;
        Task relatedWriter = Task.Run(() =>
        {
            Atomic.Run(() => x.Value += 100);
            relatedWentEarly = !Volatile.Read(ref writerMayGo);
        });

        // Nothing lets the writer of x go yet: it must park (or, if it is not held back, commit).
        while (!relatedWriter.IsCompleted && ContentionManager.ParkedCommitters == parkedBefore)
        {
            Thread.Yield();
        }

        bool relatedParked = ContentionManager.ParkedCommitters != parkedBefore;

        // How the writer is let go, a choice Coyote controls: only by the holder giving priority up
        // (nobody ends the grant), only by the grant's end (the holder is let go once the writer has
        // committed), or by whichever of the two comes first.
        HandOff handOff = (HandOff)Microsoft.Coyote.Random.Generator.Create().NextInteger(3);
        bool clockAdvanced = false;
        Task grantEnder = Task.Run(() =>
        {
            if (handOff != HandOff.HolderCommits && !Volatile.Read(ref holderDone))
            {
                clockAdvanced = true;
                Volatile.Write(ref writerMayGo, true);
                ContentionClock.AdvancePastLongestGrant();
            }
        });
        Task releaser = Task.Run(() =>
        {
            if (handOff == HandOff.GrantEnds)
            {
                relatedWriter.Wait();
            }

            letGo.SetResult();
        });
        Task.WaitAll(new[] { longRun, unrelatedWriter, relatedWriter, grantEnder, releaser });

        Specification.Assert(holderTicket != 0, "priority: a run that lost six conflicts did not hold priority in its next attempt");
        Specification.Assert(!unrelatedHeldBack, "priority held back a writer of an unrelated TVar");
        Specification.Assert(relatedParked, "priority: a writer of a TVar the holder read went ahead instead of waiting for it");
        Specification.Assert(!relatedWentEarly, "priority: a writer of a TVar the holder read committed within the holder's grant");
        Specification.Assert(
            unrelated.Value == 1 && x.Value == ConflictsBeforePriority + 100
                && ((attempts == ConflictsBeforePriority + 1 && y.Value == ConflictsBeforePriority)
                    || (attempts == ConflictsBeforePriority + 2 && y.Value == ConflictsBeforePriority + 100)),
            $"not an outcome of the hand-off: attempts={attempts}, x={x.Value}, y={y.Value}, unrelated={unrelated.Value}");
        Interlocked.Increment(ref s_schedules[(int)handOff]);
        if (handOff == HandOff.Race && clockAdvanced && attempts == ConflictsBeforePriority + 2)
        {
            Interlocked.Increment(ref s_racesWonByGrantEnd);
        }
    }
}
