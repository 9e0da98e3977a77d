namespace CheckoutCommit;

/// <summary>
/// What one worker did: jobs committed and clashes rinsed and repeated. Each worker updates its own
/// tally (outside any block, or in an AfterCommit/AfterRollback handler), one job at a time; the main
/// thread reads it only after the worker has finished.
/// </summary>
internal sealed class WorkerTally(string name)
{
    /// <summary>The worker's name in the report, e.g. "checker 2".</summary>
    public string Name { get; } = name;

    /// <summary>Jobs committed.</summary>
    public long Commits { get; set; }

    /// <summary>Attempts that clashed with another commit and were done again on a fresh checkout.</summary>
    public long Clashes { get; set; }
}
