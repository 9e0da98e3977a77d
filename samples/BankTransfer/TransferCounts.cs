namespace BankTransfer;

/// <summary>
/// One transfer thread's tally. Only that thread writes it; the progress display reads it while the
/// thread runs, so each count is published with a volatile write (one writer, no lock needed).
/// </summary>
internal sealed class TransferCounts
{
    private long _committed;
    private long _declined;

    /// <summary>Transfers that moved money.</summary>
    public long Committed => Volatile.Read(ref _committed);

    /// <summary>Transfers declined because the source account held too little (they change nothing).</summary>
    public long Declined => Volatile.Read(ref _declined);

    /// <summary>Counts a committed transfer; call only from the owning thread, after the transaction.</summary>
    public void AddCommitted() => Volatile.Write(ref _committed, _committed + 1);

    /// <summary>Counts a declined transfer; call only from the owning thread, after the transaction.</summary>
    public void AddDeclined() => Volatile.Write(ref _declined, _declined + 1);
}
