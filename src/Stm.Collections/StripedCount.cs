namespace Stm.Collections;

/// <summary>
/// The element count of a transactional collection, kept so that concurrent inserts and removals
/// of different keys do not conflict on it.
/// </summary>
/// <remarks>
/// <para>
/// Each change is a <see cref="TVar{T}.Commute"/> on one of <see cref="Stripes"/> TVars, picked by
/// the current managed thread id. Commutes never fail validation, but a committing transaction
/// still takes the commit lock of every TVar it changes; with one shared counter every insert on
/// every thread would queue on that one lock (and abort when its holder is descheduled). With a
/// stripe per thread, threads commit on disjoint locks.
/// </para>
/// <para>
/// The count is the sum of the stripes. Inside a transaction that read is exact for the
/// transaction (it turns the transaction's own pending commutes into ordinary reads and writes);
/// outside one it is a read-only transaction over the stripes, which never aborts.
/// </para>
/// </remarks>
internal sealed class StripedCount
{
    /// <summary>How many stripes; a power of two.</summary>
    internal const int Stripes = 16;

    private static readonly Func<int, int> s_increment = static count => count + 1;
    private static readonly Func<int, int> s_decrement = static count => count - 1;

    private readonly TVar<int>[] _stripes;

    /// <summary>Creates a zero count.</summary>
    public StripedCount()
    {
        _stripes = new TVar<int>[Stripes];
        for (int i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new TVar<int>(0);
        }
    }

    /// <summary>The count: inside a transaction a transactional read, outside a read-only transaction.</summary>
    public int Value => Transactional.Run(this, static count => count.Sum());

    /// <summary>Adds one. Must run inside a transaction.</summary>
    public void Increment() => Stripe.Commute(s_increment);

    /// <summary>Subtracts one. Must run inside a transaction.</summary>
    public void Decrement() => Stripe.Commute(s_decrement);

    /// <summary>Sets the count to zero. Must run inside a transaction.</summary>
    public void Reset()
    {
        foreach (TVar<int> stripe in _stripes)
        {
            stripe.Value = 0;
        }
    }

    /// <summary>
    /// The sum of the stripes read one by one without a transaction, for debugger displays (not a
    /// snapshot while writers run).
    /// </summary>
    public int ReadForDebugger() => Sum();

    private TVar<int> Stripe => _stripes[Environment.CurrentManagedThreadId & (Stripes - 1)];

    /// <summary>
    /// The sum of the stripes, each read once: inside a transaction, from its snapshot (exact);
    /// outside one, single reads that are not one snapshot while writers run.
    /// </summary>
    private int Sum()
    {
        int sum = 0;
        foreach (TVar<int> stripe in _stripes)
        {
            sum += stripe.Value;
        }

        return sum;
    }
}
