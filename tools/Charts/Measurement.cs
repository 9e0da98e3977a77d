namespace Stm.Charts;

/// <summary>
/// One benchmark across several runs: the median and the range of its ratio and time. Charts draw
/// the median as the bar and the range as a whisker.
/// </summary>
internal sealed class Measurement
{
    /// <summary>Aggregates the rows of one (suite, category, method) from every run.</summary>
    public Measurement(IReadOnlyList<BenchmarkRow> runs)
    {
        BenchmarkRow first = runs[0];
        Suite = first.Suite;
        Category = first.Category;
        Method = first.Method;
        Runs = runs.Count;
        Ratio = RunSpread.Of(runs.Select(static r => r.Ratio));
        MeanNanoseconds = RunSpread.Of(runs.Select(static r => r.MeanNanoseconds));
        AllocatedBytes = RunSpread.Of(runs.Select(static r => r.AllocatedBytes));
    }

    /// <summary>The benchmark class.</summary>
    public string Suite { get; }

    /// <summary>The category (its own baseline), or empty.</summary>
    public string Category { get; }

    /// <summary>The method or its description.</summary>
    public string Method { get; }

    /// <summary>How many runs reported this benchmark.</summary>
    public int Runs { get; }

    /// <summary>Time relative to the baseline.</summary>
    public RunSpread Ratio { get; }

    /// <summary>Mean time per operation in nanoseconds.</summary>
    public RunSpread MeanNanoseconds { get; }

    /// <summary>Bytes allocated per operation.</summary>
    public RunSpread AllocatedBytes { get; }

    /// <summary>Groups the rows of every run by benchmark, keeping the order of the first appearance.</summary>
    public static List<Measurement> Aggregate(IEnumerable<BenchmarkRow> rows) =>
        rows.GroupBy(static r => (r.Suite, r.Category, r.Method))
            .Select(static g => new Measurement(g.ToList()))
            .ToList();
}
