namespace BankTransfer;

/// <summary>What the demo has done so far, read while it runs (for the progress display) or after it ended.</summary>
/// <param name="Elapsed">Time since all threads were released.</param>
/// <param name="Committed">Transfers committed, all threads together.</param>
/// <param name="Declined">Transfers declined for insufficient funds.</param>
/// <param name="Conflicts">Attempts rolled back by a conflict and re-run (from the <c>Stm</c> meter).</param>
/// <param name="Audits">Audits completed by the auditor thread.</param>
/// <param name="FailedAudits">Audits that saw a wrong total or an overdrawn account.</param>
internal readonly record struct RunSnapshot(TimeSpan Elapsed, long Committed, long Declined, long Conflicts, long Audits, long FailedAudits);
