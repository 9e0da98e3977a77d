namespace Stm.Tests.Properties.Core;

/// <summary>What a <see cref="CommuteOperation"/> does to its counter.</summary>
public enum CommuteOperationKind
{
    /// <summary>A transaction that commutes an increment, then pauses.</summary>
    Commute,

    /// <summary>A transaction that commutes an increment, pauses, then reads the counter back (which turns the commute into a read and a write).</summary>
    CommuteThenRead,

    /// <summary>A transaction that reads the counter and writes it plus the increment, pausing in between.</summary>
    Add,

    /// <summary><c>TVar.Commute</c> outside a transaction (a transaction of its own).</summary>
    CommuteOutside,
}
