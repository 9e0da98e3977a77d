using ScottPlot;

namespace Stm.Charts;

/// <summary>
/// Draws labelled horizontal bars, top to bottom in the given order, with run-to-run whiskers,
/// optional target ticks, a text right of each bar and vertical reference lines.
/// </summary>
internal static class HorizontalBarChart
{
    /// <summary>Pixels per bar row.</summary>
    private const int RowHeight = 34;

    /// <summary>Height of everything that is not a bar row (title, axis label, caption).</summary>
    private const int Chrome = 150;

    /// <summary>Builds the chart and saves it; returns the path written.</summary>
    /// <param name="items">The bars, top first.</param>
    /// <param name="title">The title.</param>
    /// <param name="axisLabel">The label under the value axis (may hold a second line).</param>
    /// <param name="references">Vertical dashed lines (the baseline, the target): position and what it is (the axis label says it).</param>
    /// <param name="output">Where, in which format, under which file name.</param>
    /// <param name="width">Width in pixels.</param>
    public static string Render(IReadOnlyList<BarItem> items, string title, string axisLabel,
        IReadOnlyList<(double X, string Text)> references, (string Directory, string Stem, ImageFormat Format) output, int width = 1100)
    {
        Plot plot = ChartStyle.NewPlot();
        int count = items.Count;
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        double widest = 0;
        for (int i = 0; i < count; i++)
        {
            BarItem item = items[i];
            double position = count - 1 - i;
            bars.Add(new Bar
            {
                Position = position,
                Value = item.Value,
                FillColor = item.Color,
                LineWidth = 0,
                Size = 0.7,
                Orientation = Orientation.Horizontal,
            });
            ticks.Add(new Tick(position, item.Label));
            double right = double.IsNaN(item.Max) ? item.Value : Math.Max(item.Value, item.Max);
            widest = Math.Max(widest, Math.Max(right, double.IsNaN(item.Marker) ? 0 : item.Marker));

            if (!double.IsNaN(item.Min) && !double.IsNaN(item.Max) && item.Max > item.Min)
            {
                AddSegment(plot, item.Min, position, item.Max, position, 1.5f);
                AddSegment(plot, item.Min, position - 0.15, item.Min, position + 0.15, 1.5f);
                AddSegment(plot, item.Max, position - 0.15, item.Max, position + 0.15, 1.5f);
            }

            if (!double.IsNaN(item.Marker))
            {
                AddSegment(plot, item.Marker, position - 0.45, item.Marker, position + 0.45, 3f);
            }
        }

        foreach ((double x, _) in references)
        {
            widest = Math.Max(widest, x);
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        // The value text goes right of the bar (or of its whisker), in axis units.
        double gap = widest * 0.015;
        for (int i = 0; i < count; i++)
        {
            BarItem item = items[i];
            double right = RightEnd(item);

            var text = plot.Add.Text(item.Text, right + gap, count - 1 - i);
            text.LabelFontSize = 13;
            text.LabelFontName = "DejaVu Sans";
            text.LabelAlignment = Alignment.MiddleLeft;
            text.LabelFontColor = ChartStyle.Ink;
        }

        foreach ((double x, _) in references)
        {
            plot.Add.VerticalLine(x, 1.5f, ChartStyle.Ink);
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.SetLimitsY(-0.7, count - 0.3);

        // Room on the right for each bar's text: the axis must reach past (bar end + text width),
        // where the text's width in axis units depends on the span itself. Pixel widths are estimates
        // (about 7.6 px per character at the fonts used here).
        int longestLabel = items.Count == 0 ? 0 : items.Max(static i => i.Label.Length);
        double dataPixels = Math.Max(200, width - 40 - (longestLabel * 7.6));
        double span = widest * 1.05;
        for (int i = 0; i < count; i++)
        {
            double right = RightEnd(items[i]);
            double textShare = Math.Min(0.8, ((items[i].Text.Length * 7.6) + 20) / dataPixels);
            span = Math.Max(span, (right + gap) / (1 - textShare));
        }

        plot.Axes.SetLimitsX(0, span);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;

        plot.Title(title, size: 16);
        plot.XLabel(axisLabel, size: 13);

        return ChartStyle.Save(plot, output.Directory, output.Stem, output.Format, width, Chrome + (RowHeight * count));
    }

    /// <summary>Where the bar's text starts: right of the bar, its whisker and its target tick.</summary>
    private static double RightEnd(BarItem item)
    {
        double right = item.Value;
        if (!double.IsNaN(item.Max))
        {
            right = Math.Max(right, item.Max);
        }

        return double.IsNaN(item.Marker) ? right : Math.Max(right, item.Marker);
    }

    private static void AddSegment(Plot plot, double x1, double y1, double x2, double y2, float width)
    {
        var line = plot.Add.Line(x1, y1, x2, y2);
        line.LineWidth = width;
        line.LineColor = ChartStyle.Ink;
        line.MarkerSize = 0;
    }
}
