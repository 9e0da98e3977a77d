namespace Stm.Internal;

/// <summary>
/// One TVar's row in <see cref="ConflictTable"/>: its identity, copied (the table holds no reference
/// to the TVar, so it keeps nothing alive), and its conflicts since the row was created.
/// </summary>
internal sealed class ConflictTableEntry(long id, string? name)
{
    internal readonly long Id = id;
    internal readonly string? Name = name;

    /// <summary>Conflicts counted; starts at the one that created the row.</summary>
    private long _count = 1;

    internal long Count => Volatile.Read(ref _count);

    internal void Increment() => Interlocked.Increment(ref _count);
}
