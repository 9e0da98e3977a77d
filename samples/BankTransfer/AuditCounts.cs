namespace BankTransfer;

/// <summary>The auditor's tally; written only by the auditor thread, read after it is joined.</summary>
internal sealed class AuditCounts
{
    /// <summary>Audits completed.</summary>
    public long Done { get; set; }

    /// <summary>Audits that saw a total other than the expected one, or an overdrawn account.</summary>
    public long Failed { get; set; }

    /// <summary>The first failed audit, kept to show what went wrong.</summary>
    public AuditResult? FirstFailure { get; set; }
}
