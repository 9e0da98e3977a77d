namespace Stm.Internal;

/// <summary>
/// Switches that plant known bugs, for tests that prove the test harnesses catch them. Never set
/// outside such a test; each costs one static read on a path that is not hot.
/// </summary>
internal static class TestHooks
{
    /// <summary>Commit without validating the read set: lost updates and write skew appear.</summary>
    internal static volatile bool SkipCommitValidation;

    /// <summary>Park in Retry without re-checking the reads after registering: lost wake-ups appear.</summary>
    internal static volatile bool SkipRetryRevalidation;

    /// <summary>Contention management never gives a losing run priority: long transactions starve under short writers.</summary>
    internal static volatile bool NeverTakePriority;

    /// <summary>Every update commit waits for the priority holder, not only those that write what it marked: unrelated writers stall.</summary>
    internal static volatile bool PriorityHoldsBackEveryone;

    /// <summary>Committers never unlink old versions: memory grows without bound while a snapshot is open.</summary>
    internal static volatile bool KeepEveryVersion;

    /// <summary>Committers unlink versions that live snapshots still read: those snapshots' reads fail or see the wrong state.</summary>
    internal static volatile bool TrimVersionsInUse;
}
