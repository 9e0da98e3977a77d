namespace BankTransfer;

/// <summary>What one audit saw: the sum of all balances and how many accounts were overdrawn.</summary>
/// <param name="Total">The sum of every balance in one consistent snapshot.</param>
/// <param name="OverdrawnAccounts">Accounts with a negative balance (transfers never overdraw, so 0).</param>
internal readonly record struct AuditResult(long Total, int OverdrawnAccounts);
