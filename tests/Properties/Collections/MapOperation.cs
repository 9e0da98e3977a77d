using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>One generated operation on a map; <see cref="ToString"/> is what a shrunk counterexample shows.</summary>
public sealed record MapOperation(MapOperationKind Kind, int Key, int Value, MapOperation[] Inner)
{
    public override string ToString() => Kind switch
    {
        MapOperationKind.Count or MapOperationKind.Snapshot or MapOperationKind.Clear or MapOperationKind.Min or MapOperationKind.Max => $"{Kind}()",
        MapOperationKind.Get or MapOperationKind.ContainsKey or MapOperationKind.Remove => string.Create(CultureInfo.InvariantCulture, $"{Kind}({Key})"),
        MapOperationKind.Range => string.Create(CultureInfo.InvariantCulture, $"Range({Key}, {Value})"),
        MapOperationKind.Atomically or MapOperationKind.AtomicallyThenThrow => $"{Kind} {{ {string.Join("; ", Inner.Select(o => o.ToString()))} }}",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Kind}({Key}, {Value})"),
    };
}
