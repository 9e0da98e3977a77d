namespace BankTransfer;

/// <summary>What one transfer thread did, for the summary.</summary>
/// <param name="Name">The thread's name.</param>
/// <param name="Committed">Transfers it committed.</param>
/// <param name="Conflicts">Attempts of its transactions that lost a conflict and were re-run.</param>
internal readonly record struct ThreadTally(string Name, long Committed, long Conflicts);
