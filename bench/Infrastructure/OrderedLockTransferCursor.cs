namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// The fine-grained lock baseline of <see cref="StmTransferCursor"/>: one <see cref="Lock"/> per
/// account, the two locks of a transfer always taken in ascending account order (the classic way
/// to avoid deadlock). Use one instance per thread; share the balances and the locks.
/// </summary>
internal sealed class OrderedLockTransferCursor
{
    /// <summary>The balances; <c>_balances[i]</c> is guarded by <c>_locks[i]</c>.</summary>
    private readonly long[] _balances;

    /// <summary>One lock per account.</summary>
    private readonly Lock[] _locks;

    /// <summary>The transfers to make, in order, wrapping around at the end.</summary>
    private readonly TransferPlan _plan;

    /// <summary>Index in <see cref="_plan"/> of the next transfer.</summary>
    private int _next;

    /// <summary>Creates a cursor at the start of <paramref name="plan"/>.</summary>
    public OrderedLockTransferCursor(long[] balances, Lock[] locks, TransferPlan plan)
    {
        _balances = balances;
        _locks = locks;
        _plan = plan;
    }

    /// <summary>Makes the next transfer of the plan holding both accounts' locks.</summary>
    public void TransferNext()
    {
        int i = _next;
        int from = _plan.From(i);
        int to = _plan.To(i);
        long amount = _plan.Amount(i);
        Lock first = _locks[Math.Min(from, to)];
        Lock second = _locks[Math.Max(from, to)];
        lock (first)
        {
            lock (second)
            {
                _balances[from] -= amount;
                _balances[to] += amount;
            }
        }

        int next = i + 1;
        _next = next == _plan.Length ? 0 : next;
    }

    /// <summary>Creates one lock per account.</summary>
    public static Lock[] CreateLocks(int count)
    {
        var locks = new Lock[count];
        for (int i = 0; i < count; i++)
        {
            locks[i] = new Lock();
        }

        return locks;
    }
}
