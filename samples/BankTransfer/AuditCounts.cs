namespace BankTransfer;

/// <summary>
/// The auditor's tally. Only the auditor thread writes it; the progress display reads the counts
/// while it runs (volatile, one writer), and <see cref="FirstFailure"/> is read after it is joined.
/// </summary>
internal sealed class AuditCounts
{
    private long _done;
    private long _failed;

    /// <summary>Audits completed.</summary>
    public long Done => Volatile.Read(ref _done);

    /// <summary>Audits that saw a total other than the expected one, or an overdrawn account.</summary>
    public long Failed => Volatile.Read(ref _failed);

    /// <summary>The first failed audit, kept to show what went wrong.</summary>
    public AuditResult? FirstFailure { get; private set; }

    /// <summary>Records one audit; call only from the auditor thread, after the transaction.</summary>
    public void Add(AuditResult result, long expectedTotal)
    {
        if (result.Total != expectedTotal || result.OverdrawnAccounts != 0)
        {
            FirstFailure ??= result;
            Volatile.Write(ref _failed, _failed + 1);
        }

        Volatile.Write(ref _done, _done + 1);
    }
}
