using System.Diagnostics;

namespace Stm.Internal;

/// <summary>
/// The woken runs that take turns on one TVar, in ticket order (the order in which they first
/// parked): those its wait list woke and have not finished their attempts after the wake, and those
/// that read the TVar in such an attempt. A woken run may commit an update only when it is first in
/// the line of every TVar its attempt read, so the oldest waiter gets what a commit made available.
/// One line per <see cref="WaitList"/>, created when first needed.
/// </summary>
/// <remarks>
/// <para>A commit puts every waiter it signals in the line of the wait list it signals from; the woken
/// run takes places in the lines of the other TVars it read before it commits an update, and leaves
/// every line when its attempts after the wake end: it committed, parked again (keeping its ticket,
/// so it takes the same place when woken again), threw, or never ran because its wait ended
/// otherwise. Ticket order is one order for every line, so the oldest run in line anywhere is first
/// in each of its lines and never waits: taking turns cannot deadlock.</para>
/// <para>Waiting for a turn is bounded (see <see cref="WakeTurn.MaxWaitMilliseconds"/>), so a run whose
/// body blocks after a wake can delay the runs behind it, never stop them.</para>
/// <para>Everything is guarded by <see cref="_lock"/>, a plain monitor (not System.Threading.Lock), so
/// that systematic-testing tools can control it; <see cref="Advances"/> is also read without it. No
/// other lock is taken while it is held.</para>
/// </remarks>
internal sealed class TurnLine
{
    /// <summary>Guards the links of every place in line.</summary>
    private readonly object _lock = new();

    /// <summary>The first place: the oldest run in line.</summary>
    private LinePlace? _head;

    /// <summary>The last place: the youngest run in line.</summary>
    private LinePlace? _tail;

    /// <summary>How many times the first run has left the line; a waiting run restarts its bound when this moves.</summary>
    private int _advances;

    /// <summary>How many times the first run has left the line since it was created (read without the lock).</summary>
    internal int Advances => Volatile.Read(ref _advances);

    /// <summary>
    /// Gives <paramref name="owner"/> a place in line: behind every run with an older or equal ticket,
    /// ahead of every younger one. Returns the place.
    /// </summary>
    internal LinePlace Join(WakeTurn owner)
    {
        var place = new LinePlace(this, owner);
        long ticket = owner.Ticket;
        lock (_lock)
        {
            // The planted wake-order bug takes places in the order the runs arrive (for the runs a
            // commit wakes, the wait list's order) instead of by ticket.
            LinePlace? after = _tail;
            if (!(TestHooks.Enabled && TestHooks.WakeNewestFirst))
            {
                while (after is not null && after.Owner.Ticket > ticket)
                {
                    after = after.Previous;
                }
            }

            LinePlace? before = after is null ? _head : after.Next;
            place.Previous = after;
            place.Next = before;
            place.InLine = true;
            if (before is null)
            {
                _tail = place;
            }
            else
            {
                before.Previous = place;
            }

            if (after is null)
            {
                // A new first run: the former one, if it has not committed yet, waits for this one.
                if (_head is not null)
                {
                    _head.IsFirst = false;
                }

                _head = place;
                place.IsFirst = true;
            }
            else
            {
                after.Next = place;
            }
        }

        return place;
    }

    /// <summary>
    /// Takes <paramref name="place"/> out of line (once; later calls do nothing). If its run
    /// <paramref name="committed"/>, every run behind it lost to an older waiter. Wakes the run that
    /// becomes first.
    /// </summary>
    internal void Leave(LinePlace place, bool committed)
    {
        LinePlace? newFirst = null;
        lock (_lock)
        {
            if (!place.InLine)
            {
                return;
            }

            if (committed)
            {
                for (LinePlace? behind = place.Next; behind is not null; behind = behind.Next)
                {
                    behind.Owner.LostToAnOlderWaiter = true;
                }
            }

            LinePlace? previous = place.Previous;
            LinePlace? next = place.Next;
            if (previous is null)
            {
                Debug.Assert(_head == place, "a place with nothing before it heads the line");
                _head = next;
                newFirst = next;
                Volatile.Write(ref _advances, _advances + 1);
            }
            else
            {
                previous.Next = next;
            }

            if (next is null)
            {
                _tail = previous;
            }
            else
            {
                next.Previous = previous;
            }

            place.Previous = null;
            place.Next = null;
            place.InLine = false;
            place.IsFirst = false;
            if (newFirst is not null)
            {
                newFirst.IsFirst = true;
            }
        }

        newFirst?.Owner.OnBecameFirst();
    }

    /// <summary>The tickets in line, first to last (tests and diagnostics).</summary>
    internal long[] Tickets
    {
        get
        {
            lock (_lock)
            {
                var tickets = new List<long>();
                for (LinePlace? place = _head; place is not null; place = place.Next)
                {
                    tickets.Add(place.Owner.Ticket);
                }

                return [.. tickets];
            }
        }
    }
}
