namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// Walks a <see cref="TransferPlan"/> over <see cref="TVar{T}"/> accounts, one <see cref="Atomic.Run(Action)"/>
/// per transfer. Use one instance per thread.
/// </summary>
/// <remarks>
/// The transaction body is an instance method turned into a delegate once, in the constructor, and it
/// reads the current transfer from the cursor's fields: no closure is allocated per transfer, so the
/// benchmark measures the transaction, not a lambda. The body may run several times (on a conflict);
/// it only reads the cursor, which moves on after the commit.
/// </remarks>
internal sealed class StmTransferCursor
{
    /// <summary>The accounts the plan's indices refer to.</summary>
    private readonly TVar<long>[] _accounts;

    /// <summary>The transfers to make, in order, wrapping around at the end.</summary>
    private readonly TransferPlan _plan;

    /// <summary><see cref="TransferCurrent"/> as a delegate, created once.</summary>
    private readonly Action _transferCurrent;

    /// <summary>Index in <see cref="_plan"/> of the next transfer.</summary>
    private int _next;

    /// <summary>Creates a cursor at the start of <paramref name="plan"/>.</summary>
    /// <param name="accounts">The accounts; every index of the plan must be valid here.</param>
    /// <param name="plan">The transfers to make.</param>
    public StmTransferCursor(TVar<long>[] accounts, TransferPlan plan)
    {
        _accounts = accounts;
        _plan = plan;
        _transferCurrent = TransferCurrent;
    }

    /// <summary>Makes the next transfer of the plan in its own transaction.</summary>
    public void TransferNext()
    {
        Atomic.Run(_transferCurrent);
        int next = _next + 1;
        _next = next == _plan.Length ? 0 : next;
    }

    /// <summary>
    /// Makes the next transfer of the plan the way users write it: a lambda that captures the two
    /// accounts and the amount (a closure and a delegate allocated per transfer).
    /// </summary>
    public void TransferNextCapturing()
    {
        int i = _next;
        TVar<long> from = _accounts[_plan.From(i)];
        TVar<long> to = _accounts[_plan.To(i)];
        long amount = _plan.Amount(i);
        Atomic.Run(() =>
        {
            from.Value -= amount;
            to.Value += amount;
        });
        int next = i + 1;
        _next = next == _plan.Length ? 0 : next;
    }

    /// <summary>Creates <paramref name="count"/> accounts holding <paramref name="initialBalance"/> each.</summary>
    /// <summary>The next transfer of the plan with its accounts and amount passed as state to a static body: no closure, no delegate per call.</summary>
    public void TransferNextWithState()
    {
        int i = _next;
        Transactional.Run(
            (From: _accounts[_plan.From(i)], To: _accounts[_plan.To(i)], Amount: _plan.Amount(i)),
            static transfer =>
            {
                transfer.From.Value -= transfer.Amount;
                transfer.To.Value += transfer.Amount;
            });
        int next = i + 1;
        _next = next == _plan.Length ? 0 : next;
    }

    public static TVar<long>[] CreateAccounts(int count, long initialBalance)
    {
        var accounts = new TVar<long>[count];
        for (int i = 0; i < count; i++)
        {
            accounts[i] = new TVar<long>(initialBalance, $"account-{i}");
        }

        return accounts;
    }

    /// <summary>Sums all balances in one read-only transaction.</summary>
    public static long Total(TVar<long>[] accounts) => Atomic.Run(() =>
    {
        long total = 0;
        foreach (TVar<long> account in accounts)
        {
            total += account.Value;
        }

        return total;
    });

    /// <summary>The transaction body: move the current transfer's amount between its two accounts.</summary>
    private void TransferCurrent()
    {
        int i = _next;
        TVar<long> from = _accounts[_plan.From(i)];
        TVar<long> to = _accounts[_plan.To(i)];
        long amount = _plan.Amount(i);
        from.Value -= amount;
        to.Value += amount;
    }
}
