namespace Stm.Testing.History;

/// <summary>The kind of an ordering constraint between two committed transactions (Adya's dependencies).</summary>
public enum DependencyKind
{
    /// <summary>Write-write (ww): the later transaction appended to a key after the earlier one's append.</summary>
    WriteWrite,

    /// <summary>Write-read (wr): the later transaction read a list whose last element the earlier one appended.</summary>
    WriteRead,

    /// <summary>Read-write (rw, anti-dependency): the earlier transaction read a version that the later one's append extends.</summary>
    ReadWrite,

    /// <summary>Real time (rt): the earlier transaction completed before the later one was invoked.</summary>
    RealTime,
}
