namespace Stm.Tests.Properties.Core;

/// <summary>One increment of a <see cref="CommuteProgram"/>.</summary>
public sealed record CommuteOperation(CommuteOperationKind Kind, int Counter, int Delta, Pause Pause)
{
    public override string ToString() => $"{Kind} c{Counter}+{Delta} {Pause}";
}
