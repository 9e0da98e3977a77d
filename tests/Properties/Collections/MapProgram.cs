namespace Stm.Tests.Properties.Collections;

/// <summary>A generated sequence of map operations, shown one per line when a property fails.</summary>
public sealed record MapProgram(MapOperation[] Operations)
{
    public override string ToString() => "[" + string.Join(", ", Operations.Select(o => o.ToString())) + "]";
}
