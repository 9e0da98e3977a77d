namespace Stm.Charts;

/// <summary>One row of a BenchmarkDotNet <c>*-report.csv</c>: one benchmark method of one suite, one run.</summary>
/// <param name="Suite">The benchmark class, without its namespace (<c>IncrementBenchmarks</c>).</param>
/// <param name="Category">The <c>Categories</c> column, or an empty string when the suite has none.</param>
/// <param name="Method">The method, or its <c>Description</c> when it has one, without BenchmarkDotNet's quotes.</param>
/// <param name="MeanNanoseconds">The mean time per operation, in nanoseconds.</param>
/// <param name="Ratio">Time relative to the baseline of the same class and category (the <c>Ratio</c> column), or NaN.</param>
/// <param name="AllocatedBytes">Bytes allocated per operation, or NaN when the column is missing.</param>
internal sealed record BenchmarkRow(string Suite, string Category, string Method, double MeanNanoseconds, double Ratio, double AllocatedBytes);
