using System.Globalization;

namespace Stm.Benchmarks.Scaling;

/// <summary>
/// The command line of the scaling harness:
/// <c>--scaling [--threads 1,2,4,8,16] [--seconds 2] [--workloads transfer,disjoint,counter,read-only] [--csv file]</c>.
/// </summary>
internal sealed class ScalingOptions
{
    /// <summary>The thread counts used when <c>--threads</c> is not given.</summary>
    private static readonly int[] s_defaultThreadCounts = [1, 2, 4, 8, 16];

    private ScalingOptions(IReadOnlyList<int> threadCounts, TimeSpan duration, IReadOnlySet<string>? groups, string? csvPath)
    {
        ThreadCounts = threadCounts;
        Duration = duration;
        Groups = groups;
        CsvPath = csvPath;
    }

    /// <summary>The worker thread counts to measure, in the order given.</summary>
    public IReadOnlyList<int> ThreadCounts { get; }

    /// <summary>How long each (thread count, workload) pair runs.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The workload groups to run (<c>--workloads transfer,counter</c>), or <see langword="null"/> for all.</summary>
    public IReadOnlySet<string>? Groups { get; }

    /// <summary>
    /// Where to write the results as CSV as well (<c>--csv file</c>, one row per thread count and
    /// workload, read by <c>tools/Charts</c>), or <see langword="null"/> for the Markdown tables only.
    /// </summary>
    public string? CsvPath { get; }

    /// <summary>The usage line printed with a parse error.</summary>
    public static string Usage =>
        "usage: dotnet run -c Release --project bench -- --scaling [--threads 1,2,4,8,16] [--seconds 2] [--workloads transfer,disjoint,counter,read-only] [--csv file]";

    /// <summary>Parses <paramref name="args"/>; on bad input returns <see langword="null"/> and an error message.</summary>
    /// <param name="args">The whole command line (it contains <c>--scaling</c>).</param>
    /// <param name="error">What was wrong, when the result is <see langword="null"/>.</param>
    public static ScalingOptions? TryParse(IReadOnlyList<string> args, out string? error)
    {
        IReadOnlyList<int> threadCounts = s_defaultThreadCounts;
        double seconds = 2;
        HashSet<string>? groups = null;
        string? csvPath = null;
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case ScalingHarness.Switch:
                    break;
                case "--threads" when i + 1 < args.Count:
                    var counts = new List<int>();
                    foreach (string part in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1 || count > 1024)
                        {
                            error = $"--threads expects a comma-separated list of thread counts between 1 and 1024; '{part}' is not one.";
                            return null;
                        }

                        counts.Add(count);
                    }

                    if (counts.Count == 0)
                    {
                        error = "--threads expects at least one thread count, for example --threads 1,2,4.";
                        return null;
                    }

                    threadCounts = counts;
                    break;
                case "--seconds" when i + 1 < args.Count:
                    if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || !(seconds > 0) || seconds > 3600)
                    {
                        error = $"--seconds expects a duration in seconds greater than 0 and at most 3600; '{args[i]}' is not one.";
                        return null;
                    }

                    break;
                case "--workloads" when i + 1 < args.Count:
                    groups = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
                    break;
                case "--csv" when i + 1 < args.Count:
                    csvPath = args[++i];
                    break;
                default:
                    error = $"Unknown or incomplete argument '{args[i]}'.";
                    return null;
            }
        }

        return new ScalingOptions(threadCounts, TimeSpan.FromSeconds(seconds), groups, csvPath);
    }
}
