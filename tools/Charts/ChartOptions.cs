namespace Stm.Charts;

/// <summary>
/// The command line: <c>[--results DIR]... [--scaling FILE]... [--out DIR] [--caption TEXT] [--format svg|png]</c>.
/// </summary>
internal sealed class ChartOptions
{
    /// <summary>Where BenchmarkDotNet writes its reports when run from the repository root.</summary>
    public const string DefaultResults = "BenchmarkDotNet.Artifacts/results";

    /// <summary>Where the charts go by default (the images of docs/performance.md).</summary>
    public const string DefaultOutput = "docs/images";

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: dotnet run -c Release --project tools/Charts -- [options]
          --results DIR    a BenchmarkDotNet results folder (*-report.csv); repeat it for several runs:
                           bars show the median, whiskers the range (default: BenchmarkDotNet.Artifacts/results)
          --scaling FILE   a CSV from `bench -- --scaling --csv FILE`; repeat it for several runs
          --out DIR        where to write the charts (default: docs/images)
          --caption TEXT   the machine and date line under every chart (default: read from the
                           BenchmarkDotNet report and the results' file dates)
          --format svg|png the image format (default: svg)
        Writes one ratio chart per benchmark class (<class>.svg), targets.svg, and with --scaling
        scaling-<group>.svg and scaling-ratio.svg. Exit code 0, 1 when nothing was found, 2 on bad arguments.
        """;

    /// <summary>The BenchmarkDotNet results folders, one per run.</summary>
    public List<string> Results { get; } = [];

    /// <summary>The scaling harness CSV files, one per run.</summary>
    public List<string> Scaling { get; } = [];

    /// <summary>The output folder.</summary>
    public string Output { get; private set; } = DefaultOutput;

    /// <summary>The caption, or <see langword="null"/> to derive it from the results.</summary>
    public string? Caption { get; private set; }

    /// <summary>The image format.</summary>
    public ImageFormat Format { get; private set; } = ImageFormat.Svg;

    /// <summary>Whether <c>--help</c> was given.</summary>
    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>; on bad input returns <see langword="null"/> and what was wrong.</summary>
    public static ChartOptions? TryParse(string[] args, out string? error)
    {
        var options = new ChartOptions();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--results" when value is not null:
                    options.Results.Add(value);
                    i++;
                    break;
                case "--scaling" when value is not null:
                    options.Scaling.Add(value);
                    i++;
                    break;
                case "--out" when value is not null:
                    options.Output = value;
                    i++;
                    break;
                case "--caption" when value is not null:
                    options.Caption = value;
                    i++;
                    break;
                case "--format" when value is "svg" or "png":
                    options.Format = value == "png" ? ImageFormat.Png : ImageFormat.Svg;
                    i++;
                    break;
                case "--help" or "-h":
                    options.Help = true;
                    break;
                default:
                    error = $"Unknown or incomplete argument '{args[i]}'.";
                    return null;
            }
        }

        if (options.Results.Count == 0 && options.Scaling.Count == 0)
        {
            options.Results.Add(DefaultResults);
        }

        return options;
    }
}
