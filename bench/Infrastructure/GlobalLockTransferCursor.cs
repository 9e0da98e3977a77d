namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// The baseline of <see cref="StmTransferCursor"/>: the same plan over plain <see langword="long"/>
/// balances, every transfer under one global <see cref="Lock"/>. Use one instance per thread; share
/// the balances and the lock.
/// </summary>
internal sealed class GlobalLockTransferCursor
{
    /// <summary>The balances, guarded by <see cref="_gate"/>.</summary>
    private readonly long[] _balances;

    /// <summary>The one lock every transfer takes.</summary>
    private readonly Lock _gate;

    /// <summary>The transfers to make, in order, wrapping around at the end.</summary>
    private readonly TransferPlan _plan;

    /// <summary>Index in <see cref="_plan"/> of the next transfer.</summary>
    private int _next;

    /// <summary>Creates a cursor at the start of <paramref name="plan"/>.</summary>
    public GlobalLockTransferCursor(long[] balances, Lock gate, TransferPlan plan)
    {
        _balances = balances;
        _gate = gate;
        _plan = plan;
    }

    /// <summary>Makes the next transfer of the plan under the global lock.</summary>
    public void TransferNext()
    {
        int i = _next;
        int from = _plan.From(i);
        int to = _plan.To(i);
        long amount = _plan.Amount(i);
        lock (_gate)
        {
            _balances[from] -= amount;
            _balances[to] += amount;
        }

        int next = i + 1;
        _next = next == _plan.Length ? 0 : next;
    }
}
