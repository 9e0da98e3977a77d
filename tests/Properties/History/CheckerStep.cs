using System.Globalization;

namespace Stm.Tests.Properties.History;

/// <summary>One step of a generated list-append transaction: read a key's list, or append a fresh element to it.</summary>
/// <param name="IsAppend">Whether the step appends (otherwise it reads).</param>
/// <param name="Key">The key.</param>
public sealed record CheckerStep(bool IsAppend, int Key)
{
    /// <summary>Prints the step, <c>append 2</c> or <c>r 2</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(IsAppend ? "append" : "r")} {Key}");
}
