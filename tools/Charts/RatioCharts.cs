namespace Stm.Charts;

/// <summary>
/// One chart per benchmark class: each method's time relative to the baseline of its class and
/// category (the <c>Ratio</c> column), the baseline at 1. A bar with a target is green when its
/// median meets it and red when not, with the target drawn as a tick across the bar.
/// </summary>
internal static class RatioCharts
{
    /// <summary>Renders every suite found in <paramref name="measurements"/>; returns the paths written.</summary>
    public static List<string> RenderAll(IReadOnlyList<Measurement> measurements, string caption, string directory, ImageFormat format)
    {
        var written = new List<string>();
        foreach (IGrouping<string, Measurement> suite in measurements.GroupBy(static m => m.Suite))
        {
            List<Measurement> rows = suite.ToList();
            written.Add(SuiteCatalog.IsAbsolute(suite.Key)
                ? RenderAbsolute(suite.Key, rows, caption, directory, format)
                : RenderRatios(suite.Key, rows, caption, directory, format));
        }

        return written;
    }

    private static string RenderRatios(string suite, List<Measurement> rows, string caption, string directory, ImageFormat format)
    {
        var items = new List<BarItem>();
        foreach (IGrouping<string, Measurement> category in rows.GroupBy(static m => m.Category))
        {
            bool first = true;
            foreach (Measurement m in category)
            {
                Target? target = SuiteCatalog.TargetOf(suite, m.Method);
                ScottPlot.Color color = first ? ChartStyle.Baseline
                    : target is null ? ChartStyle.Neutral
                    : m.Ratio.Median <= target.MaxRatio ? ChartStyle.Met
                    : ChartStyle.NotMet;
                string label = (m.Category.Length > 0 ? m.Category + ": " : string.Empty) + m.Method + (first ? " (baseline)" : string.Empty);
                string text = $"{Format.Ratio(m.Ratio)}   {Format.Time(m.MeanNanoseconds.Median)}   {Format.Bytes(m.AllocatedBytes.Median)}"
                    + (target is null ? string.Empty : $"   target {target.Goal}");
                items.Add(new BarItem(label, m.Ratio.Median, m.Ratio.Min, m.Ratio.Max, color, text, target?.MaxRatio ?? double.NaN));
                first = false;
            }
        }

        return HorizontalBarChart.Render(
            items,
            SuiteCatalog.Title(suite),
            "time per operation / baseline's (lower is better); text: ratio, mean time, bytes allocated per operation\n" + caption,
            [(1, "baseline = 1")],
            (directory, SuiteCatalog.FileStem(suite), format));
    }

    private static string RenderAbsolute(string suite, List<Measurement> rows, string caption, string directory, ImageFormat format)
    {
        var items = rows.Select(m => new BarItem(
            m.Method,
            m.MeanNanoseconds.Median,
            double.NaN,
            double.NaN,
            ChartStyle.Neutral,
            m.MeanNanoseconds.IsSpread
                ? $"{Format.Time(m.MeanNanoseconds.Median)} ({Format.Time(m.MeanNanoseconds.Min)} to {Format.Time(m.MeanNanoseconds.Max)})"
                : Format.Time(m.MeanNanoseconds.Median),
            double.NaN)).ToList();

        // Whiskers in nanoseconds, not ratios.
        items = items.Select((item, i) => item with { Min = rows[i].MeanNanoseconds.Min, Max = rows[i].MeanNanoseconds.Max }).ToList();
        return HorizontalBarChart.Render(
            items,
            SuiteCatalog.Title(suite),
            "nanoseconds per operation\n" + caption,
            [],
            (directory, SuiteCatalog.FileStem(suite), format));
    }
}
