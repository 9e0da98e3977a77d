namespace BankTransfer;

/// <summary>One transfer thread's tally; written only by that thread, read after it is joined.</summary>
internal sealed class TransferCounts
{
    /// <summary>Transfers that moved money.</summary>
    public long Committed { get; set; }

    /// <summary>Transfers declined because the source account held too little (they change nothing).</summary>
    public long Declined { get; set; }
}
