namespace Stm.Tests.Coyote;

/// <summary>What one systematic exploration of a scenario found.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Iterations">How many schedules were explored.</param>
/// <param name="Bugs">The distinct bug reports (assertion failures, deadlocks, unhandled exceptions).</param>
/// <param name="UncontrolledInvocations">Calls Coyote could not control (they weaken the exploration).</param>
/// <param name="TracePath">Where the reproducible trace of the first bug was written, or <see langword="null"/>.</param>
/// <param name="MaxStepsHits">Schedules cut off at the step bound (a livelock would hit it on almost every schedule).</param>
/// <param name="Summary">Coyote's own text report.</param>
internal sealed record ExplorationResult(
    string Scenario,
    uint Iterations,
    IReadOnlyList<string> Bugs,
    IReadOnlyList<string> UncontrolledInvocations,
    string? TracePath,
    int MaxStepsHits,
    string Summary)
{
    /// <summary>Gets a value indicating whether at least one bug was found.</summary>
    public bool FoundBug => Bugs.Count > 0;

    /// <summary>
    /// Fails the test if Coyote met calls it could not control. None of the scenarios makes any
    /// (they use tasks, locks, monitors and <see cref="Interlocked"/> only); one that appears means
    /// part of a schedule ran outside Coyote's control, so "no bug found" would prove less than it
    /// says.
    /// </summary>
    public void AssertFullyControlled() =>
        Xunit.Assert.True(
            UncontrolledInvocations.Count == 0,
            $"Coyote could not control {string.Join(", ", UncontrolledInvocations)}: the exploration is partial. {this}");

    /// <summary>A readable description for assertion messages.</summary>
    public override string ToString() =>
        $"{Scenario}: {Iterations} schedules, {Bugs.Count} bug(s), {MaxStepsHits} cut off at the step bound" +
        (Bugs.Count > 0 ? $"{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", Bugs)}" : string.Empty) +
        (TracePath is null ? string.Empty : $"{Environment.NewLine}  replay trace: {TracePath}") +
        (UncontrolledInvocations.Count > 0 ? $"{Environment.NewLine}  uncontrolled: {string.Join(", ", UncontrolledInvocations)}" : string.Empty);
}
