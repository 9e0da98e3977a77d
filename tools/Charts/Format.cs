using System.Globalization;

namespace Stm.Charts;

/// <summary>How figures are written on the charts.</summary>
internal static class Format
{
    /// <summary>A ratio: <c>2.24x</c>, <c>0.415x</c>, <c>567x</c>.</summary>
    public static string Ratio(double ratio) => ratio switch
    {
        double.NaN => "-",
        >= 100 => Invariant($"{ratio:0}x"),
        >= 10 => Invariant($"{ratio:0.0}x"),
        >= 0.1 => Invariant($"{ratio:0.00}x"),
        _ => Invariant($"{ratio:0.000}x"),
    };

    /// <summary>A ratio and, when runs disagree, their range: <c>2.24x (2.16-2.48x)</c>.</summary>
    public static string Ratio(RunSpread ratio) =>
        ratio.IsSpread ? $"{Ratio(ratio.Median)} ({Ratio(ratio.Min).TrimEnd('x')}-{Ratio(ratio.Max)})" : Ratio(ratio.Median);

    /// <summary>A time per operation: <c>1.23 ns</c>, <c>34.0 ns</c>, <c>1.23 us</c>.</summary>
    public static string Time(double nanoseconds) => nanoseconds switch
    {
        double.NaN => "-",
        < 10 => Invariant($"{nanoseconds:0.00} ns"),
        < 1_000 => Invariant($"{nanoseconds:0.0} ns"),
        < 1_000_000 => Invariant($"{nanoseconds / 1e3:0.00} us"),
        _ => Invariant($"{nanoseconds / 1e6:0.00} ms"),
    };

    /// <summary>Bytes allocated per operation: <c>0 B</c>, <c>40 B</c>, <c>11.6 MB</c>.</summary>
    public static string Bytes(double bytes) => bytes switch
    {
        double.NaN => "- B",
        < 1024 => Invariant($"{bytes:0} B"),
        < 1024 * 1024 => Invariant($"{bytes / 1024:0.0} KB"),
        _ => Invariant($"{bytes / 1024 / 1024:0.0} MB"),
    };

    /// <summary>Formats with the invariant culture.</summary>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
