namespace Stm.Charts;

/// <summary>One horizontal bar of a <see cref="HorizontalBarChart"/>.</summary>
/// <param name="Label">The text on the left axis.</param>
/// <param name="Value">The length of the bar (the median over runs).</param>
/// <param name="Min">The left end of the whisker (the smallest run), or NaN for none.</param>
/// <param name="Max">The right end of the whisker (the largest run), or NaN for none.</param>
/// <param name="Color">The fill colour.</param>
/// <param name="Text">The text printed right of the bar.</param>
/// <param name="Marker">Where to draw a short vertical tick across the bar (a target), or NaN for none.</param>
internal sealed record BarItem(string Label, double Value, double Min, double Max, ScottPlot.Color Color, string Text, double Marker);
