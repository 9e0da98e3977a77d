using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// Contention management: a run that keeps losing (six conflicts, or four wake-ups that did not
/// let it commit) gets a ticket, marks every TVar its last attempt read or wrote with it, and from
/// its next attempt on holds priority. While it holds priority, an update commit that writes one of
/// those marked TVars waits for it (spinning briefly, then parked) before committing; commits of
/// other TVars, and read-only commits, never wait.
/// </summary>
/// <remarks>
/// <para>The wait is bounded by a grant the holder renews at the start of each attempt: twice its
/// longest attempt so far, between <see cref="MinGrantMilliseconds"/> and
/// <see cref="MaxGrantMilliseconds"/>. So a holder whose body blocks (on I/O, a lock, or another
/// thread's transaction on a TVar it marked) delays the writers of its TVars by at most one grant
/// and never stops the process; a holder whose body simply takes long gets a grant that outgrows
/// its body and then commits. Grants are measured on <see cref="ContentionClock"/>: the
/// <see cref="Stopwatch"/>, unless a test drives it to make the grant's end a step it schedules.</para>
/// <para>One run holds priority at a time; others with a ticket keep running without it and take
/// it when it is free. Marks need no clearing: a mark counts only while its ticket holds priority,
/// and tickets are not reused (for the first four billion). A handler the holder runs on its own
/// thread between attempts never waits for it.</para>
/// </remarks>
internal static class ContentionManager
{
    /// <summary>The shortest grant: long enough for any short body to finish, short enough for a blocked holder to cost little.</summary>
    internal const int MinGrantMilliseconds = 10;

    /// <summary>The longest grant: the longest any writer waits for one attempt of a holder.</summary>
    internal const int MaxGrantMilliseconds = 1000;

    private const int NoTicket = 0;

    /// <summary>How many times a held-back committer re-checks before it parks.</summary>
    private const int SpinsBeforeParking = 32;

    /// <summary>A plain monitor (not System.Threading.Lock), so that systematic-testing tools can control it.</summary>
    private static readonly object s_gate = new();

    /// <summary>The ticket of the run holding priority, or <see cref="NoTicket"/>.</summary>
    private static int s_holder;

    /// <summary>The managed thread id of the holder's thread.</summary>
    private static int s_holderThread;

    /// <summary>The <see cref="ContentionClock"/> time (<see cref="Stopwatch"/> ticks) after which nobody waits for the holder's current attempt any more.</summary>
    private static long s_grantEnds;

    private static int s_lastTicket;

    /// <summary>Committers parked on <see cref="s_gate"/>; the holder pulses only when there are some.</summary>
    private static int s_parked;

    /// <summary>How many commits have waited for a holder since the process started.</summary>
    private static long s_commitsHeldBack;

    /// <summary>The ticket of the run holding priority, or 0 (one shared read: inlined into every update commit).</summary>
    internal static int Holder
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref s_holder);
    }

    /// <summary>How many committers are parked waiting for the holder (tests and diagnostics).</summary>
    internal static int ParkedCommitters => Volatile.Read(ref s_parked);

    /// <summary>How many commits have waited for a holder since the process started (tests and diagnostics).</summary>
    internal static long CommitsHeldBack => Interlocked.Read(ref s_commitsHeldBack);

    /// <summary>A fresh ticket, never 0.</summary>
    internal static int NewTicket()
    {
        int ticket;
        while ((ticket = Interlocked.Increment(ref s_lastTicket)) == NoTicket)
        {
        }

        return ticket;
    }

    /// <summary>Marks <paramref name="var"/> as read or written by the run with <paramref name="ticket"/>.</summary>
    internal static void Mark(ITVar var, int ticket) => Volatile.Write(ref TVarState.Of(var).PriorityMark, ticket);

    /// <summary>
    /// Takes priority for <paramref name="ticket"/> if nobody holds it (or renews it if this ticket
    /// does), granting its next attempt <paramref name="grantMilliseconds"/>. Never waits.
    /// </summary>
    internal static bool TryHold(int ticket, int grantMilliseconds)
    {
        Debug.Assert(ticket != NoTicket, "a run holds priority with its own ticket");
        int holder = Interlocked.CompareExchange(ref s_holder, ticket, NoTicket);
        if (holder != NoTicket && holder != ticket)
        {
            return false;
        }

        Volatile.Write(ref s_holderThread, Environment.CurrentManagedThreadId);
        Volatile.Write(ref s_grantEnds, ContentionClock.Now + (grantMilliseconds * Stopwatch.Frequency / 1000));
        return true;
    }

    /// <summary>Gives priority up (when the holder commits, parks in Retry, or its run ends) and wakes the committers it held back.</summary>
    internal static void Release(int ticket)
    {
        // The CAS is a full fence: a committer that registered as parked before it is pulsed below,
        // and one that registers after it sees the holder gone (see WaitWhileHeld).
        if (Interlocked.CompareExchange(ref s_holder, NoTicket, ticket) == ticket && Volatile.Read(ref s_parked) != 0)
        {
            lock (s_gate)
            {
                Monitor.PulseAll(s_gate);
            }
        }
    }

    /// <summary>
    /// Wakes every parked committer to re-check whether it must still wait: called when the
    /// contention clock is advanced or stops being driven (<see cref="ContentionClock"/>), since a
    /// committer parked on a driven clock has no timeout of its own.
    /// </summary>
    internal static void WakeParkedCommitters()
    {
        lock (s_gate)
        {
            Monitor.PulseAll(s_gate);
        }
    }

    /// <summary>
    /// The grant for a holder whose longest attempt so far took <paramref name="longestAttemptTicks"/>
    /// (<see cref="Stopwatch"/> ticks): twice that, clamped.
    /// </summary>
    internal static int GrantFor(long longestAttemptTicks)
    {
        long milliseconds = 2 * longestAttemptTicks * 1000 / Stopwatch.Frequency;
        return (int)Math.Clamp(milliseconds, MinGrantMilliseconds, MaxGrantMilliseconds);
    }

    /// <summary>
    /// True if a committer that writes a TVar marked with <paramref name="holder"/> must wait: the
    /// holder still holds priority within its grant, and is not the calling thread.
    /// </summary>
    internal static bool MustWaitFor(int holder) =>
        Volatile.Read(ref s_holder) == holder
        && Volatile.Read(ref s_holderThread) != Environment.CurrentManagedThreadId
        && ContentionClock.Now < Volatile.Read(ref s_grantEnds);

    /// <summary>Waits while <paramref name="holder"/> holds priority within its grant: a short spin, then parked.</summary>
    internal static void WaitWhileHeld(int holder)
    {
        Interlocked.Increment(ref s_commitsHeldBack);
        SpinWait spin = default;
        for (int i = 0; i < SpinsBeforeParking; i++)
        {
            if (!MustWaitFor(holder))
            {
                return;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        Interlocked.Increment(ref s_parked);
        try
        {
            lock (s_gate)
            {
                while (MustWaitFor(holder))
                {
                    if (ContentionClock.IsDriven)
                    {
                        // A test drives the clock: the grant ends when it advances the clock, which pulses.
                        Monitor.Wait(s_gate);
                        continue;
                    }

                    long remainingTicks = Volatile.Read(ref s_grantEnds) - Stopwatch.GetTimestamp();
                    int remainingMilliseconds = (int)Math.Clamp((remainingTicks * 1000 / Stopwatch.Frequency) + 1, 1, MaxGrantMilliseconds);
                    Monitor.Wait(s_gate, remainingMilliseconds);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref s_parked);
        }
    }
}
