using Stm;

namespace BankTransfer;

/// <summary>
/// A bank whose account balances live in <see cref="TVar{T}"/>s. A transfer reads and writes two
/// accounts in one transaction; an audit reads every account in one read-only transaction. No
/// locks anywhere: the STM makes each transfer atomic and gives each audit a consistent snapshot,
/// so the audited total never changes, however many transfers run at the same time.
/// </summary>
internal sealed class Bank
{
    /// <summary>One TVar per account. Balances are immutable <see langword="long"/>s, as TVar values should be.</summary>
    private readonly TVar<long>[] _accounts;

    /// <summary>The audit transaction, created once: it is run thousands of times a second.</summary>
    private readonly Func<AuditResult> _audit;

    /// <summary>Opens <paramref name="accountCount"/> accounts holding <paramref name="initialBalance"/> each.</summary>
    public Bank(int accountCount, long initialBalance)
    {
        _accounts = new TVar<long>[accountCount];
        for (int i = 0; i < accountCount; i++)
        {
            // The name shows up in diagnostics, and in the `tvar` tag of the stm.conflicts counter.
            _accounts[i] = new TVar<long>(initialBalance, $"account-{i:D3}");
        }

        ExpectedTotal = accountCount * initialBalance;
        _audit = SumAllBalances;
    }

    /// <summary>How many accounts the bank has.</summary>
    public int AccountCount => _accounts.Length;

    /// <summary>The total the bank started with; transfers only move money, so every audit must see it.</summary>
    public long ExpectedTotal { get; }

    /// <summary>
    /// Moves <paramref name="amount"/> from one account to another, atomically. Declines (and changes
    /// nothing) when the source account holds less than the amount.
    /// </summary>
    /// <returns><see langword="true"/> if the money moved; <see langword="false"/> if it was declined.</returns>
    public bool Transfer(int from, int to, long amount)
    {
        TVar<long> source = _accounts[from];
        TVar<long> destination = _accounts[to];

        // The body may run more than once: if another thread commits a change to one of these
        // accounts first, the attempt is rolled back and re-run on the new balances. So the body
        // only reads and writes TVars; the caller counts the result after the commit.
        return Atomic.Run(() =>
        {
            long balance = source.Value;
            if (balance < amount)
            {
                return false;
            }

            source.Write(balance - amount);
            destination.Value += amount;
            return true;
        });
    }

    /// <summary>Sums every balance in one read-only transaction (a consistent snapshot of all accounts).</summary>
    public AuditResult Audit() => Atomic.Run(_audit);

    /// <summary>The audit body: reads every account; writes nothing, so it never conflicts with a transfer.</summary>
    private AuditResult SumAllBalances()
    {
        long total = 0;
        int overdrawn = 0;
        foreach (TVar<long> account in _accounts)
        {
            long balance = account.Value;
            total += balance;
            if (balance < 0)
            {
                overdrawn++;
            }
        }

        return new AuditResult(total, overdrawn);
    }
}
