namespace BankTransfer;

/// <summary>Everything the summary shows, gathered once every thread has stopped.</summary>
internal sealed class RunSummary
{
    /// <summary>Accounts in the bank.</summary>
    public required int AccountCount { get; init; }

    /// <summary>The total every audit must see.</summary>
    public required long ExpectedTotal { get; init; }

    /// <summary>The counts at the end of the run.</summary>
    public required RunSnapshot Totals { get; init; }

    /// <summary>One entry per transfer thread.</summary>
    public required IReadOnlyList<ThreadTally> Threads { get; init; }

    /// <summary>The engine's metrics (commits, conflicts, attempts, hottest TVars).</summary>
    public required StmMetrics Metrics { get; init; }

    /// <summary>The first audit that saw a wrong total, if any.</summary>
    public required AuditResult? FirstBadAudit { get; init; }

    /// <summary>The audit taken after every thread stopped.</summary>
    public required AuditResult Final { get; init; }

    /// <summary>Whether every audit, and the final one, saw the expected total and no overdrawn account.</summary>
    public bool Ok => Totals.FailedAudits == 0 && Final.Total == ExpectedTotal && Final.OverdrawnAccounts == 0;

    /// <summary>Committed transfers per second over the whole run.</summary>
    public double Throughput => Totals.Elapsed > TimeSpan.Zero ? Totals.Committed / Totals.Elapsed.TotalSeconds : 0;
}
