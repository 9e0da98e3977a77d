namespace Stm.Internal;

/// <summary>
/// Planted bugs: switches that break one promise of the engine each, for tests that prove the test
/// harnesses catch that kind of bug (docs/testing.md lists which test catches which). Never set
/// outside such a test.
/// </summary>
/// <remarks>
/// <para>Every read of a switch is written <c>TestHooks.Enabled &amp;&amp; TestHooks.X</c>.
/// <see cref="Enabled"/> is a <c>static readonly</c> field read once from the AppContext switch
/// <c>Stm.Testing.PlantedBugs</c>, which only the test projects set (tests/Directory.Build.props).
/// Once a method is compiled at tier 1 the JIT treats the field as the constant it holds, so in a
/// production process (where it is false) each hook's branch, and the read of its volatile switch,
/// is removed from the machine code. Before tier 1 (the first few dozen calls) a hook costs one read
/// of a field that never changes.</para>
/// <para>Where the hooks sit: <see cref="ReadPastSnapshot"/> on the slow path of a transactional
/// read (a version newer than the snapshot, or a locked TVar; the inlined fast path has no hook);
/// <see cref="SkipCommitValidation"/> where a commit validates (after the clock has moved);
/// <see cref="CommuteOnSnapshotValue"/> where a transaction records the first commute of a TVar;
/// <see cref="NestedThrowKeepsWrites"/> in the exception handler of a nested scope;
/// <see cref="SkipRetryRevalidation"/> and <see cref="WakeNewestFirst"/> on the way into a Retry wait
/// (and the latter where a woken run takes its place in a turn line);
/// <see cref="NeverTakePriority"/> and <see cref="PriorityHoldsBackEveryone"/> where a run that lost
/// marks its footprint and where a commit meets a priority holder; <see cref="KeepEveryVersion"/> and
/// <see cref="TrimVersionsInUse"/> where a commit trims a chain that already keeps old versions. None is on the path of a read, write or commit that does not conflict, wait or nest.</para>
/// </remarks>
internal static class TestHooks
{
    /// <summary>The AppContext switch that lets tests plant bugs; off unless the host's runtimeconfig sets it.</summary>
    internal const string SwitchName = "Stm.Testing.PlantedBugs";

    /// <summary>
    /// True only in a process whose runtimeconfig turns <see cref="SwitchName"/> on. Guards every
    /// hook; being <c>static readonly</c>, a false value makes the JIT drop the guarded code.
    /// </summary>
    internal static readonly bool Enabled = AppContext.TryGetSwitch(SwitchName, out bool on) && on;

    /// <summary>
    /// Opacity: a read that meets a version newer than its snapshot returns that version, without
    /// moving the snapshot forward or checking the earlier reads. Attempts see torn states, and
    /// read-only transactions (which commit without validation) commit them.
    /// </summary>
    internal static volatile bool ReadPastSnapshot;

    /// <summary>Serializability: commit without validating the read set; lost updates and write skew appear.</summary>
    internal static volatile bool SkipCommitValidation;

    /// <summary>No lost wake-up: park in Retry without re-checking the reads after registering.</summary>
    internal static volatile bool SkipRetryRevalidation;

    /// <summary>
    /// Wake order: a wait list puts each registration first instead of in ticket order, so the newest
    /// waiter is signalled first (LIFO), and a waiter that parks again jumps ahead of older ones; and
    /// a turn line (see <see cref="TurnLine"/>) takes woken runs in the order they arrive instead of by
    /// ticket, so the runs one commit wakes take their turns newest first.
    /// </summary>
    internal static volatile bool WakeNewestFirst;

    /// <summary>Contention: a losing run never takes priority, so long transactions starve under short writers.</summary>
    internal static volatile bool NeverTakePriority;

    /// <summary>Contention: every update commit waits for the priority holder, not only those that write what it marked: unrelated writers stall.</summary>
    internal static volatile bool PriorityHoldsBackEveryone;

    /// <summary>
    /// Commute: a commute is applied at once to the value in the attempt's snapshot (without recording
    /// a read) instead of to the newest committed value at commit, so a commit that lands in between is
    /// overwritten.
    /// </summary>
    internal static volatile bool CommuteOnSnapshotValue;

    /// <summary>
    /// Nested rollback: a nested <c>Atomic.Run</c> (or the first branch of <c>OrElse</c>) that throws
    /// keeps its writes and handlers, as if it had returned, before the exception propagates.
    /// </summary>
    internal static volatile bool NestedThrowKeepsWrites;

    /// <summary>Retention (trim too little): committers never unlink old versions, so memory grows without bound while a snapshot is open.</summary>
    internal static volatile bool KeepEveryVersion;

    /// <summary>Retention (trim too much): committers cut every version below the one they replace, including those live snapshots still read; those snapshots' reads fail.</summary>
    internal static volatile bool TrimVersionsInUse;
}
