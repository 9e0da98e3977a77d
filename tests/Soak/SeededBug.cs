namespace Stm.Soak;

/// <summary>A known bug the engine can be told to have (<c>Stm.Internal.TestHooks</c>), to show the soak catches it.</summary>
public enum SeededBug
{
    /// <summary>The engine as shipped.</summary>
    None,

    /// <summary>Commits skip read-set validation: lost updates and write skew appear.</summary>
    SkipCommitValidation,

    /// <summary>Retry parks without re-checking its reads after registering: lost wake-ups appear.</summary>
    SkipRetryRevalidation,
}
