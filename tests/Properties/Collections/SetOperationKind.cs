namespace Stm.Tests.Properties.Collections;

/// <summary>What a generated <see cref="SetOperation"/> does.</summary>
public enum SetOperationKind
{
    Add,
    Remove,
    Contains,
    Count,
    Snapshot,
    Clear,
    UnionWith,
    IntersectWith,
    ExceptWith,
    SymmetricExceptWith,
    IsSubsetOf,
    IsProperSubsetOf,
    IsSupersetOf,
    IsProperSupersetOf,
    Overlaps,
    SetEquals,
}
