namespace Stm.Internal;

/// <summary>
/// The transactions parked in Retry after reading one TVar, ordered by ticket: the order in which
/// their runs first parked. A woken run that has to park again keeps its ticket, so it goes back to
/// its old place rather than behind newcomers.
/// </summary>
/// <remarks>
/// Guarded by <see cref="_lock"/>; <see cref="HasWaiters"/> is read without it by committers. A
/// committer takes the TVar's lock (a full fence), publishes, unlocks, then reads
/// <see cref="HasWaiters"/>; a waiter links itself, issues a full fence, then re-checks that each TVar
/// it read is unlocked and unchanged. If the committer's read misses the link, it ran after the
/// committer's lock became visible and before the link did, so the waiter's check runs later still
/// and sees the lock, or (the unlock being visible only after the publication) the new version.
/// Either way it does not park: a wake-up is never lost. A sole commit takes no TVar lock; its
/// full fence is the CAS that takes the clock, and the waiter's check waits while the clock is odd, then
/// sees the new version (see <see cref="VersionClock"/>).
/// </remarks>
internal sealed class WaitList
{
    /// <summary>A plain monitor (not System.Threading.Lock), so that systematic-testing tools can control it.</summary>
    private readonly object _lock = new();
    private WaitRegistration? _head;
    private WaitRegistration? _tail;

    /// <summary>Where the woken runs that read this list's TVar take their turns; created on first use.</summary>
    private TurnLine? _turnLine;

    internal bool HasWaiters => Volatile.Read(ref _head) is not null;

    internal void Add(WaitRegistration registration)
    {
        long ticket = registration.Waiter.Ticket;
        lock (_lock)
        {
            // The planted wake-order bug puts every registration first: newest ticket first (LIFO).
            WaitRegistration? after = TestHooks.Enabled && TestHooks.WakeNewestFirst ? null : _tail;
            while (after is not null && after.Waiter.Ticket > ticket)
            {
                after = after.Previous;
            }

            WaitRegistration? before = after is null ? _head : after.Next;
            registration.Previous = after;
            registration.Next = before;
            if (before is null)
            {
                _tail = registration;
            }
            else
            {
                before.Previous = registration;
            }

            registration.List = this;
            if (after is null)
            {
                Volatile.Write(ref _head, registration);
            }
            else
            {
                after.Next = registration;
            }
        }
    }

    internal void Remove(WaitRegistration registration)
    {
        lock (_lock)
        {
            if (registration.List != this)
            {
                return;
            }

            WaitRegistration? previous = registration.Previous;
            WaitRegistration? next = registration.Next;
            if (previous is null)
            {
                Volatile.Write(ref _head, next);
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

            registration.Previous = null;
            registration.Next = null;
            registration.List = null;
        }
    }

    /// <summary>
    /// Signals every waiter, oldest ticket first, putting their runs in this list's
    /// <see cref="TurnLine"/> so that they commit in that order. Each waiter unlinks itself when it wakes.
    /// </summary>
    internal void SignalAll()
    {
        lock (_lock)
        {
            TurnLine line = GetOrCreateTurnLine();
            for (WaitRegistration? node = _head; node is not null; node = node.Next)
            {
                node.Waiter.Signal(line);
            }
        }
    }

    /// <summary>The line in which the woken runs that read this list's TVar take turns (see <see cref="Internal.TurnLine"/>); created on first use.</summary>
    internal TurnLine GetOrCreateTurnLine()
    {
        TurnLine? line = Volatile.Read(ref _turnLine);
        if (line is not null)
        {
            return line;
        }

        Interlocked.CompareExchange(ref _turnLine, new TurnLine(), null);
        return _turnLine!;
    }

    /// <summary>The turn line, or null before it was first needed (tests and diagnostics).</summary>
    internal TurnLine? TurnLine => Volatile.Read(ref _turnLine);

    /// <summary>The tickets of the registrations, first (signalled first) to last (tests and diagnostics).</summary>
    internal long[] Tickets
    {
        get
        {
            lock (_lock)
            {
                var tickets = new List<long>();
                for (WaitRegistration? node = _head; node is not null; node = node.Next)
                {
                    tickets.Add(node.Waiter.Ticket);
                }

                return [.. tickets];
            }
        }
    }

    /// <summary>How many waiters are parked here (tests and diagnostics).</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                int count = 0;
                for (WaitRegistration? node = _head; node is not null; node = node.Next)
                {
                    count++;
                }

                return count;
            }
        }
    }
}
