namespace Stm.Soak;

/// <summary>What a soak run did and found.</summary>
public sealed class SoakReport
{
    /// <summary>Gets the reasons the run failed; empty when it passed.</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    /// <summary>Gets a value indicating whether every check passed.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Gets the workload steps completed (each is one or a few transactions).</summary>
    public required long Steps { get; init; }

    /// <summary>Gets the transactions committed by the workers (engine statistics, summed over workers).</summary>
    public required long Commits { get; init; }

    /// <summary>Gets the attempts aborted by conflicts (engine statistics, summed over workers).</summary>
    public required long Conflicts { get; init; }

    /// <summary>Gets the attempts that waited in Retry (engine statistics, summed over workers).</summary>
    public required long Retries { get; init; }

    /// <summary>Gets the number of faults injected.</summary>
    public required long FaultsInjected { get; init; }

    /// <summary>Gets the most attempts (Retry waits not counted) any one transaction took.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>Gets the transactions recorded in the list-append history and checked for serializability.</summary>
    public required int HistoryTransactions { get; init; }

    /// <summary>Gets the managed heap size after a full collection before the workload started.</summary>
    public required long HeapBeforeBytes { get; init; }

    /// <summary>Gets the managed heap size after a full collection once the workload was over.</summary>
    public required long HeapAfterBytes { get; init; }

    /// <summary>Gets the slowest wake-up seen by the wake-up probes.</summary>
    public required TimeSpan SlowestWakeUp { get; init; }

    /// <summary>Gets how long the workload ran.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Gets the verdict line: <c>SOAK PASSED</c> or <c>SOAK FAILED: reasons</c>.</summary>
    public string Verdict => Passed ? "SOAK PASSED" : "SOAK FAILED: " + string.Join("; ", Failures);

    /// <summary>Returns a multi-line summary ending in the verdict line.</summary>
    /// <returns>The summary.</returns>
    public override string ToString() =>
        $"steps={Steps} commits={Commits} conflicts={Conflicts} retries={Retries} faults={FaultsInjected} " +
        $"max-attempts={MaxAttempts} history-tx={HistoryTransactions} heap-before={HeapBeforeBytes / 1024}KiB " +
        $"heap-after={HeapAfterBytes / 1024}KiB slowest-wakeup={SlowestWakeUp.TotalMilliseconds:F1}ms elapsed={Elapsed.TotalSeconds:F1}s" +
        Environment.NewLine + Verdict;
}
