namespace Stm.Charts;

/// <summary>
/// Draws the charts of docs/performance.md from benchmark results: BenchmarkDotNet's
/// <c>*-report.csv</c> files (one ratio chart per benchmark class and one chart of all targets) and
/// the scaling harness's <c>--csv</c> output (throughput and ratio against thread count). See
/// <see cref="ChartOptions.Usage"/>.
/// </summary>
internal static class Program
{
    /// <summary>Reads the results and writes the charts; returns 0, 1 when nothing was found, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        ChartOptions? options = ChartOptions.TryParse(args, out string? error);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(ChartOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(ChartOptions.Usage);
            return 0;
        }

        var rows = new List<BenchmarkRow>();
        foreach (string folder in options.Results)
        {
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"No results folder '{folder}': run the benchmarks first (see docs/performance.md).");
                return 1;
            }

            rows.AddRange(BenchmarkCsv.ReadDirectory(folder));
        }

        var scaling = new List<ScalingRow>();
        foreach (string file in options.Scaling)
        {
            if (!File.Exists(file))
            {
                Console.Error.WriteLine($"No scaling file '{file}': run `dotnet run -c Release --project bench -- --scaling --csv {file}` first.");
                return 1;
            }

            scaling.AddRange(ScalingCsv.Read(file));
        }

        if (rows.Count == 0 && scaling.Count == 0)
        {
            Console.Error.WriteLine($"No *{BenchmarkCsv.ReportSuffix} in {string.Join(", ", options.Results)} and no scaling rows: nothing to draw.");
            return 1;
        }

        string caption = options.Caption ?? Caption.Derive(options.Results, options.Scaling, scaling);
        Directory.CreateDirectory(options.Output);
        var written = new List<string>();
        List<Measurement> measurements = Measurement.Aggregate(rows);
        if (measurements.Count > 0)
        {
            written.AddRange(RatioCharts.RenderAll(measurements, caption, options.Output, options.Format));
            if (TargetsChart.Render(measurements, caption, options.Output, options.Format) is { } targets)
            {
                written.Add(targets);
            }
        }

        if (scaling.Count > 0)
        {
            written.AddRange(ScalingCharts.RenderAll(scaling, caption, options.Output, options.Format));
        }

        foreach (string path in written)
        {
            Console.WriteLine(path);
        }

        Console.WriteLine($"{written.Count} charts written ({caption}).");
        return 0;
    }
}
