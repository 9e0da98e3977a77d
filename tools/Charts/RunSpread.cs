namespace Stm.Charts;

/// <summary>The median, minimum and maximum of a figure over runs; NaN when no run reported it.</summary>
/// <param name="Median">The median (the mean of the two middle values for an even count).</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
internal readonly record struct RunSpread(double Median, double Min, double Max)
{
    /// <summary>Whether any run reported a number.</summary>
    public bool HasValue => !double.IsNaN(Median);

    /// <summary>Whether the runs disagree (the whisker is worth drawing).</summary>
    public bool IsSpread => HasValue && Max > Min;

    /// <summary>Aggregates <paramref name="values"/>, ignoring NaNs.</summary>
    public static RunSpread Of(IEnumerable<double> values)
    {
        double[] sorted = values.Where(static v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return new RunSpread(double.NaN, double.NaN, double.NaN);
        }

        int middle = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new RunSpread(median, sorted[0], sorted[^1]);
    }
}
