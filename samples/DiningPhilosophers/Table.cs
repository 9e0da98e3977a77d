using Stm;

namespace DiningPhilosophers;

/// <summary>
/// The round table: one fork between each pair of neighbours, all of it in TVars. Philosopher
/// <c>i</c> needs fork <c>i</c> (on the left) and fork <c>i + 1</c> (on the right, wrapping round).
/// </summary>
/// <remarks>
/// The classic deadlock: everyone takes the left fork, then waits forever for the right one. Here
/// a philosopher takes both forks in ONE transaction that retries until both are free, so nobody
/// ever holds one fork while waiting for the other, and there is nothing to deadlock on; no fork
/// ordering, no waiter, no timeout needed.
/// </remarks>
internal sealed class Table
{
    /// <summary>The holder of a fork that is on the table.</summary>
    public const int Nobody = -1;

    /// <summary>Who holds each fork (a seat number), or <see cref="Nobody"/>.</summary>
    private readonly TVar<int>[] _forks;

    /// <summary>Whether each philosopher is eating: what the invariant is about.</summary>
    private readonly TVar<bool>[] _eating;

    /// <summary>Meals each philosopher has finished.</summary>
    private readonly TVar<int>[] _meals;

    /// <summary>The first broken invariant any transaction saw in the state it was about to commit; null while all is well.</summary>
    private readonly TVar<string?> _firstViolation = new(null, "first-violation");

    /// <summary>Sets a table for <paramref name="seats"/> philosophers.</summary>
    public Table(int seats)
    {
        _forks = new TVar<int>[seats];
        _eating = new TVar<bool>[seats];
        _meals = new TVar<int>[seats];
        for (int i = 0; i < seats; i++)
        {
            _forks[i] = new TVar<int>(Nobody, $"fork-{i}");
            _eating[i] = new TVar<bool>(false, $"eating-{i}");
            _meals[i] = new TVar<int>(0, $"meals-{i}");
        }
    }

    /// <summary>The number of seats (and forks).</summary>
    public int Seats => _forks.Length;

    /// <summary>The first violation of the invariant seen by a pick-up or put-down, or null.</summary>
    public string? FirstViolation => _firstViolation.Value;

    /// <summary>
    /// Waits until both of <paramref name="seat"/>'s forks are on the table, then takes both, in one
    /// transaction. While either is taken, <see cref="Atomic.Check"/> retries: the attempt is undone
    /// and the thread sleeps until a fork it looked at changes, then tries again.
    /// </summary>
    public void PickUpForks(int seat) => Atomic.Run(() =>
    {
        TVar<int> left = LeftFork(seat);
        TVar<int> right = RightFork(seat);
        Atomic.Check(left.Value == Nobody && right.Value == Nobody);
        left.Value = seat;
        right.Value = seat;
        _eating[seat].Value = true;
        RecordIfBroken();
    });

    /// <summary>Puts both forks back and counts the meal, in one transaction.</summary>
    public void PutDownForks(int seat) => Atomic.Run(() =>
    {
        LeftFork(seat).Value = Nobody;
        RightFork(seat).Value = Nobody;
        _eating[seat].Value = false;
        _meals[seat].Value++;
        RecordIfBroken();
    });

    /// <summary>Meals per philosopher, all read in one consistent snapshot.</summary>
    public int[] Meals() => Atomic.Run(() => Array.ConvertAll(_meals, static m => m.Value));

    /// <summary>Inside a transaction: the eating philosophers as a bit mask (bit <c>i</c> for seat <c>i</c>).</summary>
    public long EatingMask()
    {
        long mask = 0;
        for (int i = 0; i < Seats; i++)
        {
            if (_eating[i].Value)
            {
                mask |= 1L << i;
            }
        }

        return mask;
    }

    /// <summary>
    /// Inside a transaction: checks the table's invariant on the state this transaction sees, and
    /// says what is wrong, or returns null. Neighbours never eat at the same time, whoever eats holds
    /// both forks, and a fork is held only by someone eating.
    /// </summary>
    public string? FindViolation()
    {
        for (int seat = 0; seat < Seats; seat++)
        {
            int next = (seat + 1) % Seats;
            bool eating = _eating[seat].Value;
            if (eating && _eating[next].Value)
            {
                return $"neighbours {seat} and {next} are eating at the same time";
            }

            if (eating && (LeftFork(seat).Value != seat || RightFork(seat).Value != seat))
            {
                return $"philosopher {seat} is eating without holding both forks";
            }

            int holder = _forks[seat].Value;
            if (holder != Nobody && !_eating[holder].Value)
            {
                return $"fork {seat} is held by philosopher {holder}, who is not eating";
            }
        }

        return null;
    }

    /// <summary>
    /// Checks the invariant on the state the current transaction is about to commit. It runs inside
    /// the same transaction as the change, so it sees exactly the new state, never a half-updated
    /// one. It records a violation instead of throwing, so a broken run still finishes and reports.
    /// </summary>
    private void RecordIfBroken()
    {
        if (FindViolation() is { } violation && _firstViolation.Value is null)
        {
            _firstViolation.Value = violation;
        }
    }

    private TVar<int> LeftFork(int seat) => _forks[seat];

    private TVar<int> RightFork(int seat) => _forks[(seat + 1) % Seats];
}
