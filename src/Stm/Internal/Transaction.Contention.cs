using System.Runtime.CompilerServices;

namespace Stm.Internal;

/// <summary>
/// This transaction's side of contention management (see <see cref="ContentionManager"/>): a run
/// that keeps losing marks what it read and wrote with its ticket and holds priority from its next
/// attempt on; a commit that writes a TVar marked by the holder waits for it.
/// </summary>
/// <remarks>
/// Owns <see cref="_priorityTicket"/>: the ticket of the run using this object, or 0 while the run
/// has not lost often enough (and between runs). Invariant: a commit never waits for its own run's
/// ticket, so a holder's marks never hold the holder back.
/// </remarks>
internal sealed partial class Transaction
{
    /// <summary>After this many conflicts a run holds priority (see <see cref="ContentionManager"/>); the same for checkout runs.</summary>
    internal const int PriorityAfterConflicts = 6;

    /// <summary>After this many wake-ups without committing a run holds priority, so newcomers cannot keep beating it; the same for checkout runs.</summary>
    internal const int PriorityAfterWakeups = 4;

    /// <summary>The contention ticket of the run using this object (0 if it never lost): its own marks never hold it back.</summary>
    private int _priorityTicket;

    /// <summary>Takes or renews priority for the next attempt if the run has a ticket; true if it holds priority.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryHoldPriority(ref RunProgress progress) =>
        progress.PriorityTicket != 0
        && ContentionManager.TryHold(progress.PriorityTicket, ContentionManager.GrantFor(progress.LongestAttemptTicks));

    /// <summary>Gives priority up if the run holds it (it commits, parks in Retry, or its run ends).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReleasePriority(ref RunProgress progress, ref bool holding)
    {
        if (holding)
        {
            ContentionManager.Release(progress.PriorityTicket);
            holding = false;
        }
    }

    /// <summary>Adopts the ticket of the run starting (or resuming after a wait) on this object; 0 if it has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AdoptPriorityTicket(int ticket) => _priorityTicket = ticket;

    /// <summary>
    /// Waits for the run holding priority if this commit writes a TVar it marked (it read or wrote
    /// it when it last lost): committing now could make it lose again. Other commits go ahead.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WaitForPriorityHolder(int count)
    {
        int holder = ContentionManager.Holder;
        if (holder == 0 || holder == _priorityTicket || (TestHooks.Enabled && TestHooks.NeverTakePriority))
        {
            return;
        }

        for (int i = 0; i < count; i++)
        {
            if ((TestHooks.Enabled && TestHooks.PriorityHoldsBackEveryone)
                || Volatile.Read(ref TVarState.Of(_writes[i].Var).PriorityMark) == holder)
            {
                if (ContentionManager.MustWaitFor(holder))
                {
                    ContentionManager.WaitWhileHeld(holder);
                }

                return;
            }
        }
    }

    /// <summary>
    /// Marks every TVar this attempt read or wrote with the run's contention ticket (taking one the
    /// first time), so that while the run holds priority, commits that write them wait for it.
    /// Called once the run has lost often enough to hold priority from its next attempt on.
    /// </summary>
    private void MarkFootprint(ref RunProgress progress)
    {
        if (TestHooks.Enabled && TestHooks.NeverTakePriority)
        {
            return;
        }

        if (progress.PriorityTicket == 0)
        {
            progress.PriorityTicket = ContentionManager.NewTicket();
            _priorityTicket = progress.PriorityTicket;
        }

        MarkFootprint(progress.PriorityTicket);
    }

    /// <summary>
    /// Marks every TVar this attempt read or wrote with <paramref name="ticket"/>: from the run's next
    /// attempt on, while it holds priority, commits that write them wait for it. A checkout run calls
    /// this when an attempt that would give it priority ends without committing.
    /// </summary>
    /// <param name="ticket">The run's contention ticket.</param>
    internal void MarkFootprint(int ticket)
    {
        if (TestHooks.Enabled && TestHooks.NeverTakePriority)
        {
            return;
        }

        for (int i = 0; i < _reads.Count; i++)
        {
            ContentionManager.Mark(_reads[i].Var, ticket);
        }

        for (int i = 0; i < _writes.Count; i++)
        {
            ContentionManager.Mark(_writes[i].Var, ticket);
        }
    }
}
