using System.Diagnostics;

namespace Stm.Internal;

/// <summary>
/// A run woken from Retry, from the commit that signalled it until its attempts after the wake end:
/// its places in the <see cref="TurnLine"/>s it takes turns in. It may commit an update once it is
/// first in all of them (<see cref="WaitForTurn"/>).
/// </summary>
/// <remarks>
/// The first place, in the line of the wait list that signalled the run, is taken by the signalling
/// committer before the run can see its wake; later places are taken by the run's own thread (or,
/// for a run that waits without a thread, by whichever thread runs it). A synchronous run parks on
/// this object's monitor, which a line pulses when one of the run's places becomes first.
/// </remarks>
internal sealed class WakeTurn
{
    /// <summary>
    /// The longest a run waits for its turn while the first runs of its lines stay the same: long
    /// enough for a loaded machine to schedule the runs ahead, short enough that a run whose body
    /// blocks after its wake costs the runs behind it little.
    /// </summary>
    internal const int MaxWaitMilliseconds = 1000;

    /// <summary>How many times a run re-checks before it parks (the run ahead usually commits within microseconds).</summary>
    private const int SpinsBeforeParking = 20;

    /// <summary>Runs woken whose turns are not over yet, process-wide.</summary>
    private static int s_awake;

    /// <summary>How many times a woken run has waited for its turn since the process started.</summary>
    private static long s_turnWaits;

    /// <summary>How many of <see cref="s_turnWaits"/> parked a thread.</summary>
    private static long s_turnParks;

    /// <summary>The place its wake gave the run; the only one, unless it read other TVars others wait on.</summary>
    private LinePlace? _firstPlace;

    /// <summary>Places taken before an update commit, beyond <see cref="_firstPlace"/>; allocated on demand.</summary>
    private LinePlace[]? _morePlaces;
    /// <summary>How many of <see cref="_morePlaces"/> are in use.</summary>
    private int _moreCount;

    /// <summary>Set once the run counts in <see cref="s_awake"/>: it won the race to be woken.</summary>
    private bool _counted;

    /// <summary>True while a synchronous run is parked on this object's monitor (guarded by it).</summary>
    private bool _parked;

    /// <summary>Completed when every place is first, for a run that waits without a thread; created on demand.</summary>
    private TaskCompletionSource? _firstSignal;

    /// <summary>Backs <see cref="LeaveAfterCommit"/>.</summary>
    private Action? _leaveAfterCommit;

    /// <summary>Backs <see cref="LostToAnOlderWaiter"/>: set by other threads under a line's lock, read by the run.</summary>
    private volatile bool _lostToAnOlderWaiter;

    /// <summary>Creates the turn of the run with <paramref name="ticket"/>, in no line yet.</summary>
    internal WakeTurn(long ticket) => Ticket = ticket;

    /// <summary>Runs woken whose attempts after the wake have not ended yet, process-wide (tests and diagnostics).</summary>
    internal static int Awake => Volatile.Read(ref s_awake);

    /// <summary>How many times a woken run has found an older one ahead of it (before its update commit, or before an asynchronous run starts), since the process started (tests and diagnostics).</summary>
    internal static long TurnWaits => Interlocked.Read(ref s_turnWaits);

    /// <summary>How many of those waits parked a synchronous run's thread (tests and diagnostics).</summary>
    internal static long TurnParks => Interlocked.Read(ref s_turnParks);

    /// <summary>The run's ticket: the order in which it first parked.</summary>
    internal long Ticket { get; }

    /// <summary>Set by a line when a run ahead of this one committed: its wake went to an older waiter, which is no loss for contention management.</summary>
    internal bool LostToAnOlderWaiter
    {
        get => _lostToAnOlderWaiter;
        set => _lostToAnOlderWaiter = value;
    }

    /// <summary>True while no older run is ahead of this one in any of its lines: it may commit.</summary>
    internal bool IsFirst
    {
        get
        {
            if (_firstPlace is { IsFirst: false })
            {
                return false;
            }

            for (int i = 0; i < _moreCount; i++)
            {
                if (!_morePlaces![i].IsFirst)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Takes a place in <paramref name="line"/>, unless the run has one there already.</summary>
    internal void JoinLine(TurnLine line)
    {
        if (_firstPlace is null)
        {
            _firstPlace = line.Join(this);
            return;
        }

        if (_firstPlace.Line == line)
        {
            return;
        }

        for (int i = 0; i < _moreCount; i++)
        {
            if (_morePlaces![i].Line == line)
            {
                return;
            }
        }

        _morePlaces ??= new LinePlace[2];
        if (_moreCount == _morePlaces.Length)
        {
            Array.Resize(ref _morePlaces, _morePlaces.Length * 2);
        }

        _morePlaces[_moreCount++] = line.Join(this);
    }

    /// <summary>
    /// <see cref="LeaveAll"/> after a commit, as a handler for the run's attempts after the wake
    /// (created on first use, then shared by them).
    /// </summary>
    internal Action LeaveAfterCommit => _leaveAfterCommit ??= () => LeaveAll(committed: true);

    /// <summary>Counts the run as awake, before its waiter is signalled through this turn (<see cref="LeaveAll"/> uncounts it).</summary>
    internal void MarkWoken()
    {
        Debug.Assert(!_counted, "a turn wakes one run once");
        _counted = true;
        Interlocked.Increment(ref s_awake);
    }

    /// <summary>
    /// Leaves every line (once; later calls do nothing): the run's attempts after the wake are over.
    /// If it <paramref name="committed"/>, the runs behind it lost to an older waiter.
    /// </summary>
    internal void LeaveAll(bool committed)
    {
        _firstPlace?.Line.Leave(_firstPlace, committed);
        for (int i = 0; i < _moreCount; i++)
        {
            _morePlaces![i].Line.Leave(_morePlaces[i], committed);
        }

        if (_counted)
        {
            _counted = false;
            Interlocked.Decrement(ref s_awake);
        }
    }

    /// <summary>
    /// Waits, spinning briefly and then parked, until the run is first in every line, or until
    /// <paramref name="deadline"/> (an <see cref="Environment.TickCount64"/> value, or
    /// <see cref="long.MaxValue"/>) passes, or until <see cref="MaxWaitMilliseconds"/> pass without
    /// the first run of any of its lines leaving: then the run goes ahead out of turn.
    /// </summary>
    internal void WaitForTurn(long deadline)
    {
        Interlocked.Increment(ref s_turnWaits);
        SpinWait spin = default;
        for (int i = 0; i < SpinsBeforeParking && !IsFirst; i++)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (IsFirst)
        {
            return;
        }

        Interlocked.Increment(ref s_turnParks);
        long advances = Advances();
        long giveUpAt = Environment.TickCount64 + MaxWaitMilliseconds;
        lock (this)
        {
            _parked = true;
            while (!IsFirst)
            {
                long now = Environment.TickCount64;
                if (now >= giveUpAt)
                {
                    long seen = Advances();
                    if (seen == advances)
                    {
                        // The runs ahead have not moved for a whole bound (a body blocks, or a run
                        // never got a core): stop holding back the runs behind this one.
                        break;
                    }

                    advances = seen;
                    giveUpAt = now + MaxWaitMilliseconds;
                }

                if (now >= deadline)
                {
                    break;
                }

                Monitor.Wait(this, (int)(Math.Min(giveUpAt, deadline) - now));
            }

            _parked = false;
        }
    }

    /// <summary>
    /// <see cref="WaitForTurn"/> for a run that holds no thread while it waits (before its attempts
    /// start): the same bound, without blocking.
    /// </summary>
    internal async ValueTask WaitForTurnAsync()
    {
        Debug.Assert(_moreCount == 0, "a run that waits without a thread has only the place its wake gave it");
        if (IsFirst)
        {
            return;
        }

        Interlocked.Increment(ref s_turnWaits);

        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A full fence between publishing the signal and re-checking, as in OnBecameFirst between
        // a place becoming first and reading the signal: one of the two sees the other.
        Interlocked.Exchange(ref _firstSignal, signal);
        if (IsFirst)
        {
            return;
        }

        long advances = Advances();
        while (true)
        {
            try
            {
                await signal.Task.WaitAsync(TimeSpan.FromMilliseconds(MaxWaitMilliseconds)).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException)
            {
                long seen = Advances();
                if (seen == advances)
                {
                    return;
                }

                advances = seen;
            }
        }
    }

    /// <summary>
    /// Called by a line, outside its lock, when one of this run's places became first: wakes the run
    /// if it waits. The run re-checks its places itself (they are its own thread's to change); only a
    /// run that waits without a thread awaits the signal, and it has a single place.
    /// </summary>
    internal void OnBecameFirst()
    {
        Interlocked.MemoryBarrier();
        Volatile.Read(ref _firstSignal)?.TrySetResult();

        lock (this)
        {
            if (_parked)
            {
                Monitor.PulseAll(this);
            }
        }
    }

    /// <summary>How far the lines this run waits in have moved: the sum of their <see cref="TurnLine.Advances"/>.</summary>
    private long Advances()
    {
        long advances = _firstPlace?.Line.Advances ?? 0;
        for (int i = 0; i < _moreCount; i++)
        {
            advances += _morePlaces![i].Line.Advances;
        }

        return advances;
    }
}
