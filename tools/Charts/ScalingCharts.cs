using ScottPlot;

namespace Stm.Charts;

/// <summary>
/// Charts of the scaling harness: for each workload group, throughput against thread count for the
/// STM variant and its baselines (logarithmic axes, so that a lock's 50 million operations per second
/// and a transaction's 5 million both stay readable), and one chart of STM throughput / baseline
/// throughput for every group.
/// </summary>
internal static class ScalingCharts
{
    private const int Width = 1000;
    private const int Height = 560;

    /// <summary>Renders every chart; returns the paths written.</summary>
    public static List<string> RenderAll(IReadOnlyList<ScalingRow> rows, string caption, string directory, ImageFormat format)
    {
        var written = new List<string>();
        int[] threadCounts = rows.Select(static r => r.Threads).Distinct().Order().ToArray();
        foreach (IGrouping<string, ScalingRow> group in rows.GroupBy(static r => r.Group))
        {
            Plot plot = ChartStyle.NewPlot();
            int colour = 0;
            foreach (IGrouping<string, ScalingRow> variant in group.GroupBy(static r => r.Variant))
            {
                AddSeries(plot, variant, threadCounts, static r => r.OperationsPerSecond / 1e6, $"{group.Key} {variant.Key}", ChartStyle.Series[colour++ % ChartStyle.Series.Length], variant.Key != "stm");
            }

            UseLogAxes(plot, threadCounts, group.Select(static r => r.OperationsPerSecond / 1e6));
            plot.Title($"Scaling: {group.Key} (throughput, million operations per second)", size: 16);
            plot.XLabel("worker threads\n" + caption, size: 13);
            plot.YLabel("million operations per second (log scale)", size: 13);
            plot.ShowLegend(Edge.Right);
            written.Add(ChartStyle.Save(plot, directory, "scaling-" + group.Key, format, Width, Height));
        }

        written.Add(RenderRatios(rows, threadCounts, caption, directory, format));
        return written;
    }

    private static string RenderRatios(IReadOnlyList<ScalingRow> rows, int[] threadCounts, string caption, string directory, ImageFormat format)
    {
        Plot plot = ChartStyle.NewPlot();
        int colour = 0;
        var plotted = new List<double> { 1 };
        foreach (IGrouping<string, ScalingRow> group in rows.GroupBy(static r => r.Group))
        {
            foreach (string baseline in group.Select(static r => r.Variant).Where(static v => v != "stm").Distinct())
            {
                // The ratio of each run, then the median and range per thread count.
                var ratios = new List<ScalingRow>();
                foreach (IGrouping<int, ScalingRow> atThreads in group.GroupBy(static r => r.Threads))
                {
                    ScalingRow[] stm = atThreads.Where(static r => r.Variant == "stm").ToArray();
                    ScalingRow[] other = atThreads.Where(r => r.Variant == baseline).ToArray();
                    for (int run = 0; run < Math.Min(stm.Length, other.Length); run++)
                    {
                        ratios.Add(stm[run] with { OperationsPerSecond = stm[run].OperationsPerSecond / other[run].OperationsPerSecond });
                    }
                }

                plotted.AddRange(ratios.Select(static r => r.OperationsPerSecond));
                AddSeries(plot, ratios, threadCounts, static r => r.OperationsPerSecond, $"{group.Key}: stm / {baseline}", ChartStyle.Series[colour % ChartStyle.Series.Length], baseline: false);
                colour++;
            }
        }

        var one = plot.Add.HorizontalLine(0, 1.5f, ChartStyle.Ink);
        one.LegendText = "as fast as the baseline";
        UseLogAxes(plot, threadCounts, plotted);
        plot.Title("Scaling: STM throughput / baseline throughput (above 1: STM is faster)", size: 16);
        plot.XLabel("worker threads\n" + caption, size: 13);
        plot.YLabel("throughput ratio (log scale)", size: 13);
        plot.ShowLegend(Edge.Right);
        return ChartStyle.Save(plot, directory, "scaling-ratio", format, Width, Height + 60);
    }

    /// <summary>
    /// Adds one line: the median over runs at each thread count (log10), with min-max whiskers. A
    /// baseline is drawn thinner with open squares, the STM variant thicker with filled circles.
    /// </summary>
    private static void AddSeries(Plot plot, IEnumerable<ScalingRow> rows, int[] threadCounts, Func<ScalingRow, double> value, string legend, Color color, bool baseline)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (int threads in threadCounts)
        {
            RunSpread spread = RunSpread.Of(rows.Where(r => r.Threads == threads).Select(value).Where(static v => v > 0));
            if (!spread.HasValue)
            {
                continue;
            }

            double x = Math.Log2(threads);
            xs.Add(x);
            ys.Add(Math.Log10(spread.Median));
            if (spread.IsSpread)
            {
                var whisker = plot.Add.Line(x, Math.Log10(spread.Min), x, Math.Log10(spread.Max));
                whisker.LineColor = color;
                whisker.LineWidth = 1.5f;
                whisker.MarkerSize = 0;
            }
        }

        var scatter = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
        scatter.LegendText = legend;
        scatter.Color = color;
        scatter.MarkerSize = 8;
        scatter.LineWidth = baseline ? 1.5f : 3f;
        scatter.MarkerShape = baseline ? MarkerShape.OpenSquare : MarkerShape.FilledCircle;
    }

    /// <summary>
    /// Thread counts on a log2 axis labelled with the counts; values on a log10 axis with labelled
    /// ticks at 1, 2 and 5 times each power of ten that the data spans.
    /// </summary>
    private static void UseLogAxes(Plot plot, int[] threadCounts, IEnumerable<double> values)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            threadCounts.Select(static t => new Tick(Math.Log2(t), t.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());

        double[] positive = values.Where(static v => v > 0 && !double.IsNaN(v)).ToArray();
        double low = positive.Length == 0 ? 0.1 : positive.Min();
        double high = positive.Length == 0 ? 10 : positive.Max();
        var ticks = new List<Tick>();
        for (int power = (int)Math.Floor(Math.Log10(low)) - 1; power <= (int)Math.Ceiling(Math.Log10(high)) + 1; power++)
        {
            for (int step = 1; step <= 9; step++)
            {
                double tick = step * Math.Pow(10, power);
                bool labelled = step is 1 or 2 or 5;
                ticks.Add(labelled
                    ? new Tick(Math.Log10(tick), Format.Invariant($"{tick:G4}"), isMajor: true)
                    : new Tick(Math.Log10(tick), string.Empty, isMajor: false));
            }
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
        plot.Axes.SetLimitsY(Math.Log10(low) - 0.15, Math.Log10(high) + 0.15);
        plot.Axes.SetLimitsX(-0.2, Math.Log2(threadCounts[^1]) + 0.2);
    }
}
