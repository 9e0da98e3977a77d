using Stm;

namespace SantaClaus;

/// <summary>
/// A reindeer or an elf. Forever: away for a while (on holiday, or making toys), then joins its
/// group, waits for Santa to let the group in, does its part with him, and waits to be let out;
/// until the workshop closes.
/// </summary>
internal sealed class Helper
{
    private readonly Group _group;
    private readonly TVar<bool> _closed;
    private readonly int _maxAwayMilliseconds;
    private readonly Random _random;

    /// <summary>Creates helper number <paramref name="id"/> of <paramref name="group"/>'s kind.</summary>
    public Helper(int id, Group group, TVar<bool> closed, int maxAwayMilliseconds)
    {
        Id = id;
        _group = group;
        _closed = closed;
        _maxAwayMilliseconds = maxAwayMilliseconds;
        _random = new Random(id);
    }

    /// <summary>The helper's number within its kind.</summary>
    public int Id { get; }

    /// <summary>Times this helper went in to Santa and came out again.</summary>
    public int Visits { get; private set; }

    /// <summary>The helper's life; runs on its own thread and returns once the workshop has closed.</summary>
    public void Live()
    {
        while (true)
        {
            Thread.Sleep(_random.Next(_maxAwayMilliseconds + 1));

            // Join the forming group, or give up if the workshop has closed: two waits in one
            // transaction. The first branch retries while the group is full; OrElse then tries the
            // second, which retries while the workshop is open; the transaction sleeps until either changes.
            Batch? batch = Atomic.Run(() => Atomic.OrElse<Batch?>(() => _group.Join(Id), WhenClosed<Batch?>));
            if (batch is null || !PassUnlessClosed(batch.In))
            {
                return;
            }

            // With Santa: sign the group's attendance log (Santa checks it once the group is out).
            Atomic.Run(() => batch.Attended.Value = batch.Attended.Value.Add(Id));
            if (!PassUnlessClosed(batch.Out))
            {
                return;
            }

            Visits++;
        }
    }

    /// <summary>Waits to pass <paramref name="gate"/>; <see langword="false"/> if the workshop closed first.</summary>
    private bool PassUnlessClosed(Gate gate) => Atomic.Run(() => Atomic.OrElse(
        () =>
        {
            gate.Pass();
            return true;
        },
        WhenClosed<bool>));

    /// <summary>Inside a transaction: retries while the workshop is open; once closed, returns <c>default</c>.</summary>
    private T? WhenClosed<T>()
    {
        Atomic.Check(_closed.Value);
        return default;
    }
}
