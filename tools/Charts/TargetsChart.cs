namespace Stm.Charts;

/// <summary>
/// One chart of every target that the results cover: the measured ratio divided by the largest
/// ratio that meets the target, so 1 is the target line for all of them, whatever their units.
/// </summary>
internal static class TargetsChart
{
    /// <summary>The image file name, without extension.</summary>
    public const string Stem = "targets";

    /// <summary>Renders the chart; returns the path written, or <see langword="null"/> when no target was measured.</summary>
    public static string? Render(IReadOnlyList<Measurement> measurements, string caption, string directory, ImageFormat format)
    {
        var items = new List<BarItem>();
        foreach (Target target in SuiteCatalog.Targets)
        {
            Measurement? m = measurements.FirstOrDefault(x => x.Suite == target.Suite && x.Method == target.Method);
            if (m is null || !m.Ratio.HasValue)
            {
                continue;
            }

            bool met = m.Ratio.Median <= target.MaxRatio;
            bool throughput = target.Goal.Contains("throughput", StringComparison.Ordinal);
            string measured = throughput
                ? $"{Format.Ratio(1 / m.Ratio.Median)} throughput" + (m.Ratio.IsSpread ? $" ({Format.Ratio(1 / m.Ratio.Max).TrimEnd('x')}-{Format.Ratio(1 / m.Ratio.Min)})" : string.Empty)
                : Format.Ratio(m.Ratio);
            items.Add(new BarItem(
                target.Work,
                m.Ratio.Median / target.MaxRatio,
                m.Ratio.Min / target.MaxRatio,
                m.Ratio.Max / target.MaxRatio,
                met ? ChartStyle.Met : ChartStyle.NotMet,
                $"{measured}, target {target.Goal}: {(met ? "met" : "NOT met")}",
                double.NaN));
        }

        return items.Count == 0
            ? null
            : HorizontalBarChart.Render(
                items,
                "Targets: measured / target (at most 1 meets the target)",
                "time ratio to the baseline / largest ratio that meets the target (lower is better)\n" + caption,
                [(1, "target")],
                (directory, Stem, format));
    }
}
