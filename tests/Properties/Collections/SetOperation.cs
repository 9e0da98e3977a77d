using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>One generated operation on a set; <see cref="ToString"/> is what a shrunk counterexample shows.</summary>
public sealed record SetOperation(SetOperationKind Kind, int Item, int[] Items)
{
    public override string ToString() => Kind switch
    {
        SetOperationKind.Add or SetOperationKind.Remove or SetOperationKind.Contains => string.Create(CultureInfo.InvariantCulture, $"{Kind}({Item})"),
        SetOperationKind.Count or SetOperationKind.Snapshot or SetOperationKind.Clear => $"{Kind}()",
        _ => $"{Kind}([{string.Join(", ", Items)}])",
    };
}
