namespace Stm;

/// <summary>A TVar as <see cref="StmDiagnostics"/> shows it: its id and its name. Holds no reference to the TVar.</summary>
public sealed record TVarInfo
{
    internal TVarInfo(long id, string? name)
    {
        Id = id;
        Name = name;
    }

    /// <summary>The TVar's id, unique in the process: it tells unnamed TVars apart.</summary>
    public long Id { get; }

    /// <summary>The name given to the TVar's constructor, or null.</summary>
    public string? Name { get; }

    /// <summary>The name, or <c>(unnamed) #</c> and the id.</summary>
    /// <returns>The TVar's name or id.</returns>
    public override string ToString() => Name ?? "(unnamed) #" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
