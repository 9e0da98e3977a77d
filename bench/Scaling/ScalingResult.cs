namespace Stm.Benchmarks.Scaling;

/// <summary>What one measured run of a workload at one thread count produced.</summary>
internal sealed class ScalingResult
{
    /// <summary>Creates a result.</summary>
    public ScalingResult(long operations, TimeSpan elapsed, long gen0, long gen1, long gen2, long commits, long attempts, long lockingCommits)
    {
        Operations = operations;
        Elapsed = elapsed;
        Gen0 = gen0;
        Gen1 = gen1;
        Gen2 = gen2;
        Commits = commits;
        Attempts = attempts;
        LockingCommits = lockingCommits;
    }

    /// <summary>Operations completed by all worker threads (the background writer is not counted).</summary>
    public long Operations { get; }

    /// <summary>Wall time from the release of the workers to the last one joined.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Generation 0 collections during the run (process-wide).</summary>
    public long Gen0 { get; }

    /// <summary>Generation 1 collections during the run (process-wide).</summary>
    public long Gen1 { get; }

    /// <summary>Generation 2 collections during the run (process-wide).</summary>
    public long Gen2 { get; }

    /// <summary>Transactions the worker threads committed (from the engine's per-thread statistics).</summary>
    public long Commits { get; }

    /// <summary>Transaction attempts of the worker threads, conflicts and retries included.</summary>
    public long Attempts { get; }

    /// <summary>Commits of the worker threads that took TVar locks; the other update commits committed alone.</summary>
    public long LockingCommits { get; }

    /// <summary>Operations per second.</summary>
    public double Throughput => Operations / Elapsed.TotalSeconds;

    /// <summary>Collections of generation <paramref name="generation"/> per million operations.</summary>
    public double CollectionsPerMillion(int generation)
    {
        long collections = generation switch
        {
            0 => Gen0,
            1 => Gen1,
            _ => Gen2,
        };
        return Operations == 0 ? 0 : collections * 1_000_000.0 / Operations;
    }
}
