using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>One generated TArray step: a write of <paramref name="Value"/> at <paramref name="Index"/>, or a read when the value is negative.</summary>
/// <param name="Index">The index, possibly out of range (the access must then throw).</param>
/// <param name="Value">The value written, or a negative number for a read.</param>
public sealed record TArrayStep(int Index, int Value)
{
    /// <summary>Gets a value indicating whether this step reads instead of writing.</summary>
    public bool IsRead => Value < 0;

    /// <summary>Prints the step, <c>a[3]=7</c> or <c>read a[3]</c>.</summary>
    public override string ToString() =>
        IsRead ? string.Create(CultureInfo.InvariantCulture, $"read a[{Index}]") : string.Create(CultureInfo.InvariantCulture, $"a[{Index}]={Value}");
}
