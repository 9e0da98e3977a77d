namespace Stm;

/// <summary>A TVar and how many aborted attempts have been attributed to it, in <see cref="StmDiagnosticsSnapshot.MostConflictedTVars"/>.</summary>
public sealed record TVarConflicts
{
    internal TVarConflicts(TVarInfo tvar, long conflicts)
    {
        TVar = tvar;
        Conflicts = conflicts;
    }

    /// <summary>The TVar whose change by a concurrent commit aborted the attempts.</summary>
    public TVarInfo TVar { get; }

    /// <summary>
    /// Attempts aborted by a conflict on <see cref="TVar"/> since it entered the bounded table of
    /// conflicted TVars (a TVar with few conflicts can be displaced by others and come back later at zero).
    /// </summary>
    public long Conflicts { get; }

    /// <summary>The TVar and its count, for example <c>counter: 12 conflicts</c>.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() =>
        TVar + ": " + Conflicts.ToString(System.Globalization.CultureInfo.InvariantCulture) + " conflicts";
}
