namespace Stm.Internal;

/// <summary>
/// What a write entry held before a nested scope first changed it, so that rolling the scope back
/// restores the outer scope's pending value and commutes.
/// </summary>
internal struct UndoRecord
{
    internal int EntryIndex;
    internal VersionNode Node;
    internal object? Commutes;
    internal int Scope;
}
