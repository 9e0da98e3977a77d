using Stm;

namespace SantaClaus;

/// <summary>
/// A gate that Santa opens for a fixed number of helpers and that closes behind the last of them
/// (the <c>Gate</c> of "Beautiful Concurrency"). Santa uses one to let his group in and another to
/// let it out, so he knows that every member has arrived, and later that every member has left.
/// </summary>
internal sealed class Gate
{
    private readonly int _capacity;

    /// <summary>Places left; 0 while the gate is closed.</summary>
    private readonly TVar<int> _remaining;

    /// <summary>Creates a closed gate for groups of <paramref name="capacity"/>.</summary>
    public Gate(int capacity, string name)
    {
        _capacity = capacity;
        _remaining = new TVar<int>(0, name);
    }

    /// <summary>
    /// For a helper, inside a transaction: takes one place, retrying (waiting) while the gate is
    /// closed or full. Being transactional, it can be combined with other waits by OrElse.
    /// </summary>
    public void Pass()
    {
        int remaining = _remaining.Value;
        Atomic.Check(remaining > 0);
        _remaining.Value = remaining - 1;
    }

    /// <summary>
    /// For Santa: opens the gate for a whole group, then waits until all of them have passed. Two
    /// transactions, on purpose: the helpers' passes must commit in between.
    /// </summary>
    public void Operate()
    {
        Atomic.Run(() => _remaining.Value = _capacity);
        Atomic.Run(() => Atomic.Check(_remaining.Value == 0));
    }
}
