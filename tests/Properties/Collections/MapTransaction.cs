using System.Globalization;

namespace Stm.Tests.Properties.Collections;

/// <summary>
/// One generated transaction of a concurrent map test: operations on the thread's own keys, then a
/// transfer of <see cref="Amount"/> from shared key <see cref="From"/> to shared key <see cref="To"/>.
/// </summary>
public sealed record MapTransaction(MapOperation[] Local, int From, int To, int Amount)
{
    public override string ToString() =>
        "{ " + string.Join("; ", Local.Select(o => o.ToString()).Append(string.Create(CultureInfo.InvariantCulture, $"Transfer({From} -> {To}, {Amount})"))) + " }";
}
