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

    /// <summary>Gets what the long-snapshot workload measured, or <see langword="null"/> if it did not run.</summary>
    public LongSnapshotFigures? LongSnapshot { get; init; }

    /// <summary>Gets what the stalled-body workload measured, or <see langword="null"/> if it did not run.</summary>
    public StalledBodyFigures? StalledBody { get; init; }

    /// <summary>Gets what the fairness workload measured, or <see langword="null"/> if it did not run.</summary>
    public FairnessFigures? Fairness { get; init; }

    /// <summary>Gets the verdict line: <c>SOAK PASSED</c> or <c>SOAK FAILED: reasons</c>.</summary>
    public string Verdict => Passed ? "SOAK PASSED" : "SOAK FAILED: " + string.Join("; ", Failures);

    /// <summary>Returns a multi-line summary ending in the verdict line.</summary>
    /// <returns>The summary.</returns>
    public override string ToString() =>
        $"steps={Steps} commits={Commits} conflicts={Conflicts} retries={Retries} faults={FaultsInjected} " +
        $"max-attempts={MaxAttempts} history-tx={HistoryTransactions} heap-before={HeapBeforeBytes / 1024}KiB " +
        $"heap-after={HeapAfterBytes / 1024}KiB slowest-wakeup={SlowestWakeUp.TotalMilliseconds:F1}ms elapsed={Elapsed.TotalSeconds:F1}s" +
        (LongSnapshot is { } longSnapshot ? Environment.NewLine + longSnapshot : string.Empty) +
        (StalledBody is { } stalledBody ? Environment.NewLine + stalledBody : string.Empty) +
        (Fairness is { } fairness ? Environment.NewLine + fairness : string.Empty) +
        Environment.NewLine + Verdict;
}

/// <summary>What the long-snapshot workload measured.</summary>
public sealed class LongSnapshotFigures
{
    /// <summary>Gets the number of snapshots held open for their whole stretch and closed.</summary>
    public required long Snapshots { get; init; }

    /// <summary>Gets the most versions one hot TVar kept while a snapshot was open.</summary>
    public required int MaxVersionsOpen { get; init; }

    /// <summary>Gets the bound on <see cref="MaxVersionsOpen"/>: live snapshots + 2.</summary>
    public required int VersionBound { get; init; }

    /// <summary>Gets the most versions one hot TVar kept just after a snapshot closed (writers stopped).</summary>
    public required int MaxVersionsAfterClose { get; init; }

    /// <summary>Gets the most the heap grew (after full collections) while one snapshot was open.</summary>
    public required long MaxHeapGrowthBytes { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"long-snapshot: snapshots={Snapshots} max-versions-open={MaxVersionsOpen} (bound {VersionBound}) " +
        $"max-versions-after-close={MaxVersionsAfterClose} max-heap-growth-open={MaxHeapGrowthBytes / 1024}KiB";
}

/// <summary>What the stalled-body workload measured.</summary>
public sealed class StalledBodyFigures
{
    /// <summary>Gets the number of probes that blocked in their body while holding priority.</summary>
    public required long Stalls { get; init; }

    /// <summary>Gets how long each stall lasted.</summary>
    public required TimeSpan Stall { get; init; }

    /// <summary>Gets the fewest commits to unrelated TVars counted during one stall, or -1 if none stalled.</summary>
    public required long FewestCommitsDuringStall { get; init; }

    /// <summary>Gets the longest a writer of the stalled holder's TVar took to commit from the start of a stall.</summary>
    public required TimeSpan LongestRelatedDelay { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"stalled-body: stalls={Stalls} of {Stall.TotalMilliseconds:F0}ms fewest-unrelated-commits-during-stall={FewestCommitsDuringStall} " +
        $"longest-related-writer-delay={LongestRelatedDelay.TotalMilliseconds:F0}ms";
}
