using ScottPlot;

namespace Stm.Charts;

/// <summary>Colours, fonts and output shared by every chart.</summary>
internal static class ChartStyle
{
    /// <summary>A baseline bar.</summary>
    public static readonly Color Baseline = Color.FromHex("#9e9e9e");

    /// <summary>A bar that meets its target.</summary>
    public static readonly Color Met = Color.FromHex("#2e7d32");

    /// <summary>A bar that does not meet its target.</summary>
    public static readonly Color NotMet = Color.FromHex("#c62828");

    /// <summary>A bar without a target.</summary>
    public static readonly Color Neutral = Color.FromHex("#1565c0");

    /// <summary>Reference lines and whiskers.</summary>
    public static readonly Color Ink = Color.FromHex("#212121");

    /// <summary>Line colours for the scaling charts, STM first.</summary>
    public static readonly Color[] Series =
    [
        Color.FromHex("#1565c0"),
        Color.FromHex("#ef6c00"),
        Color.FromHex("#6a1b9a"),
        Color.FromHex("#2e7d32"),
        Color.FromHex("#00838f"),
        Color.FromHex("#ad1457"),
    ];

    // No dashed lines anywhere: Skia's SVG canvas does not support path effects and draws them solid.

    /// <summary>A sans-serif font present on most machines that render the SVG; the rasteriser falls back if absent.</summary>
    private const string FontName = "DejaVu Sans";

    /// <summary>A new plot with the shared font.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        return plot;
    }

    /// <summary>Writes <paramref name="plot"/> as <c>{stem}.svg</c> or <c>{stem}.png</c> in <paramref name="directory"/>; returns the path.</summary>
    public static string Save(Plot plot, string directory, string stem, ImageFormat format, int width, int height)
    {
        string path = Path.Combine(directory, stem + (format == ImageFormat.Png ? ".png" : ".svg"));
        if (format == ImageFormat.Png)
        {
            plot.SavePng(path, width, height);
        }
        else
        {
            plot.SaveSvg(path, width, height);
        }

        return path;
    }
}
