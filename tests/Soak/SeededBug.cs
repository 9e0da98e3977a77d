namespace Stm.Soak;

/// <summary>
/// A bug the engine can be told to have, to show the soak catches it: one per planted bug of
/// <c>Stm.Internal.TestHooks</c>, with the same names (<c>--seeded-bug</c> takes them in kebab case,
/// for example <c>read-past-snapshot</c>).
/// </summary>
public enum SeededBug
{
    /// <summary>The engine as shipped.</summary>
    None,

    /// <summary>Commits skip read-set validation: lost updates and write skew appear.</summary>
    SkipCommitValidation,

    /// <summary>Retry parks without re-checking its reads after registering: lost wake-ups appear.</summary>
    SkipRetryRevalidation,

    /// <summary>A read past the snapshot returns the newer version unchecked: attempts see torn states.</summary>
    ReadPastSnapshot,

    /// <summary>Wait lists and turn lines put the newest waiter first: items go to consumers out of park order.</summary>
    WakeNewestFirst,

    /// <summary>A losing run never takes priority: long transactions starve under short writers.</summary>
    NeverTakePriority,

    /// <summary>Every commit waits for the priority holder: unrelated writers stall while a holder blocks in its body.</summary>
    PriorityHoldsBackEveryone,

    /// <summary>Commutes apply to the snapshot's value: concurrent increments are lost.</summary>
    CommuteOnSnapshotValue,

    /// <summary>A nested transaction that throws keeps its writes.</summary>
    NestedThrowKeepsWrites,

    /// <summary>Consumers check a queue's completion outside their transaction: Complete does not wake them.</summary>
    CompleteWakesNoWaiter,

    /// <summary>Commits never unlink old versions: a TVar written under a long snapshot keeps every version.</summary>
    KeepEveryVersion,

    /// <summary>Commits cut every version below the one they replace, including those a live snapshot reads.</summary>
    TrimVersionsInUse,
}
