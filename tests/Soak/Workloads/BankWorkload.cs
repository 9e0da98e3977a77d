namespace Stm.Soak.Workloads;

/// <summary>
/// Bank transfers between accounts (plain, with <c>Modify</c>, and through a nested transaction that
/// throws) with faults mid-transfer, and auditors that scan every account in one read-only
/// transaction. Money is conserved in every attempt an auditor makes (opacity) and at the end.
/// </summary>
internal sealed class BankWorkload : SoakWorkload
{
    /// <summary>The number of accounts.</summary>
    private const int AccountCount = 64;

    /// <summary>Every account's opening balance.</summary>
    private const long OpeningBalance = 1_000;

    /// <summary>The accounts; their sum is always <see cref="AccountCount"/> * <see cref="OpeningBalance"/>.</summary>
    private readonly TVar<long>[] _accounts;

    /// <summary>Initializes a new instance of the <see cref="BankWorkload"/> class.</summary>
    public BankWorkload() =>
        _accounts = [.. Enumerable.Range(0, AccountCount).Select(i => new TVar<long>(OpeningBalance, $"account{i}"))];

    /// <inheritdoc/>
    public override string Name => "bank";

    /// <inheritdoc/>
    public override int Weight => 30;

    private static long Total => AccountCount * OpeningBalance;

    /// <inheritdoc/>
    public override void Step(Worker worker)
    {
        int roll = worker.Random.Next(10);
        if (roll == 0)
        {
            Audit(worker);
            return;
        }

        if (roll == 1 && worker.Random.Next(4) == 0)
        {
            TransferCommittedBetweenTwoReads(worker);
            return;
        }

        int from = worker.Random.Next(AccountCount);
        int to = (from + 1 + worker.Random.Next(AccountCount - 1)) % AccountCount;
        long amount = worker.Random.Next(1, 50);
        TVar<long> source = _accounts[from];
        TVar<long> target = _accounts[to];
        if (roll == 2)
        {
            worker.Execute(() => NestedTransfer(worker, source, target, amount));
            return;
        }

        worker.Execute(() =>
        {
            worker.MaybeAddThrowingHandlers();
            long balance = source.Value;
            if (balance < amount)
            {
                return;
            }

            source.Write(balance - amount);
            worker.MaybeDelay();
            worker.MaybeThrowInBody();
            target.Modify(x => x + amount);
        });
    }

    /// <inheritdoc/>
    public override void Verify(SoakContext context)
    {
        long sum = 0;
        Atomic.Run(() =>
        {
            sum = 0;
            foreach (TVar<long> account in _accounts)
            {
                sum += account.Value;
            }
        });
        if (sum != Total)
        {
            context.Fail($"{Name}: money not conserved at the end: {sum} instead of {Total}");
        }

        foreach (TVar<long> account in _accounts)
        {
            if (account.Value < 0)
            {
                context.Fail($"{Name}: {account.Name} is overdrawn: {account.Value}");
            }
        }
    }

    /// <summary>
    /// Debits in the outer transaction, credits inside a nested one that then throws (only the nested
    /// write must roll back), and credits again in the outer one: conserved only if nesting is right.
    /// </summary>
    private static void NestedTransfer(Worker worker, TVar<long> source, TVar<long> target, long amount)
    {
        long balance = source.Value;
        if (balance < amount)
        {
            return;
        }

        source.Write(balance - amount);
        try
        {
            Atomic.Run(() =>
            {
                target.Value += amount;
                worker.MaybeDelay();
                throw new InjectedFaultException("nested body fault, caught by the outer body") { Kind = FaultKind.Body };
            });
        }
        catch (InjectedFaultException)
        {
            worker.Context.CountFault();
        }

        target.Value += amount;
    }

    /// <summary>A long read-only scan of every account; every attempt must see the conserved total.</summary>
    private void Audit(Worker worker)
    {
        SoakContext context = worker.Context;
        worker.Execute(() =>
        {
            long sum = 0;
            for (int i = 0; i < _accounts.Length; i++)
            {
                sum += _accounts[i].Value;
                if (i % 16 == 0)
                {
                    worker.MaybeDelay();
                }
            }

            if (sum != Total)
            {
                context.Fail($"{Name}: an auditor's attempt saw total {sum} instead of {Total} (torn snapshot)");
            }
        });
    }

    /// <summary>
    /// The torn-read window, forced: an attempt reads one of two fresh accounts, lets another thread
    /// commit a transfer between them, then reads the other. The second read meets a version newer
    /// than the attempt's snapshot; the engine must re-run the attempt rather than return it, so every
    /// attempt sees the pair's conserved total. Unlike the auditors, this does not depend on a
    /// writer happening to commit in the middle of a scan.
    /// </summary>
    private static void TransferCommittedBetweenTwoReads(Worker worker)
    {
        SoakContext context = worker.Context;
        TimeSpan bound = context.Options.WakeUpBound;
        var first = new TVar<long>(OpeningBalance, "probe.first");
        var second = new TVar<long>(0, "probe.second");
        bool transferred = false;
        worker.Execute(() =>
        {
            long before = first.Value;
            if (!transferred)
            {
                transferred = true;
                if (!Task.Run(() => Atomic.Run(() => { first.Value -= OpeningBalance; second.Value += OpeningBalance; })).Wait(bound))
                {
                    context.Fail($"bank: a transfer between two fresh accounts did not commit within {bound.TotalSeconds:F0}s");
                }
            }

            long after = second.Value;
            if (before + after != OpeningBalance)
            {
                context.Fail($"bank: an attempt read {before} + {after} from a pair holding {OpeningBalance} (torn snapshot: a read returned a version newer than the attempt's snapshot)");
            }
        });
    }
}
