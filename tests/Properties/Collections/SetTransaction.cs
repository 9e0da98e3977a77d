using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// One generated transaction of a concurrent set test: adds and removes of the thread's own
/// elements, then a toggle of shared token <see cref="Token"/> between its two positions.
/// </summary>
public sealed record SetTransaction(SetOperation[] Local, int Token)
{
    public override string ToString() =>
        "{ " + string.Join("; ", Local.Select(o => o.ToString()).Append(string.Create(CultureInfo.InvariantCulture, $"Toggle({Token})"))) + " }";
}
