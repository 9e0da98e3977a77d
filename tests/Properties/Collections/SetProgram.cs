namespace Stm.Tests.Properties.Collections;

/// <summary>A generated sequence of set operations.</summary>
public sealed record SetProgram(SetOperation[] Operations)
{
    public override string ToString() => "[" + string.Join(", ", Operations.Select(o => o.ToString())) + "]";
}
