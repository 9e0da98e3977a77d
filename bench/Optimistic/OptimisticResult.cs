namespace Stm.Benchmarks.Optimistic;

/// <summary>What one measured run of an <see cref="OptimisticHarness"/> variant did.</summary>
/// <param name="Variant">The variant's title.</param>
/// <param name="Operations">Updates completed (committed, or done under the key's semaphore).</param>
/// <param name="Attempts">Times an update body started; for a semaphore, equal to <paramref name="Operations"/>.</param>
/// <param name="Elapsed">From the release of the tasks to the end of the last one.</param>
internal sealed record OptimisticResult(string Variant, long Operations, long Attempts, TimeSpan Elapsed)
{
    /// <summary>Updates per second.</summary>
    public double Throughput => Operations / Elapsed.TotalSeconds;

    /// <summary>Share of started attempts that clashed and were thrown away.</summary>
    public double ConflictRate => Attempts == 0 ? 0 : (double)(Attempts - Operations) / Attempts;

    /// <summary>Attempts per completed update.</summary>
    public double AttemptsPerOperation => Operations == 0 ? 0 : (double)Attempts / Operations;
}
