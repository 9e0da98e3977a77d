namespace Stm.Tests.Properties.Collections;

/// <summary>What a generated <see cref="MapOperation"/> does.</summary>
public enum MapOperationKind
{
    Set,
    Add,
    TryAdd,
    Remove,
    Get,
    ContainsKey,
    GetOrAdd,
    AddOrUpdate,
    Count,
    Snapshot,
    Clear,
    Min,
    Max,
    Range,

    /// <summary>Runs <see cref="MapOperation.Inner"/> in one transaction.</summary>
    Atomically,

    /// <summary>Runs <see cref="MapOperation.Inner"/> in one transaction that then throws: nothing may change.</summary>
    AtomicallyThenThrow,
}
