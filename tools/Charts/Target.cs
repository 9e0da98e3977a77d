namespace Stm.Charts;

/// <summary>A performance target: a benchmark's time ratio to its baseline must stay at or below <paramref name="MaxRatio"/>.</summary>
/// <param name="Suite">The benchmark class.</param>
/// <param name="Method">The method (or its description) as it appears in the report.</param>
/// <param name="MaxRatio">
/// The largest time ratio that meets the target. A throughput target of at least N times the
/// baseline's throughput is a time ratio of at most 1/N (the multi-thread suites report time per operation).
/// </param>
/// <param name="Work">What is measured, for the chart's labels.</param>
/// <param name="Goal">The target as people state it (<c>&lt;= 2x</c>, <c>&gt;= 1.6x throughput</c>).</param>
internal sealed record Target(string Suite, string Method, double MaxRatio, string Work, string Goal);
