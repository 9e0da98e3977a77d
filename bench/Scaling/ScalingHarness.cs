using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Stm.Internal;

namespace Stm.Benchmarks.Scaling;

/// <summary>
/// The multi-thread throughput harness (not BenchmarkDotNet): for each thread count and each
/// workload of <see cref="ScalingWorkloads"/>, runs the workers for a fixed time and prints Markdown
/// tables of throughput, STM-to-baseline ratios, GC collections per million operations, STM
/// attempts per commit and the share of commits that took TVar locks (and, with <c>--csv file</c>,
/// writes the same results as CSV for <c>tools/Charts</c>). Every run checks its
/// invariant (money conserved, no lost increment, consistent snapshots); a broken one is reported
/// and makes the exit code 1.
/// </summary>
/// <remarks>
/// Workers are fresh threads per run, released together by a <see cref="Barrier"/> that the timing
/// thread also joins; the <see cref="Stopwatch"/> starts when the barrier opens and stops when the
/// last worker has been joined after the stop signal. A full GC runs before each run so one run's
/// garbage is not collected in the next.
/// </remarks>
internal static class ScalingHarness
{
    /// <summary>The command-line switch that selects this harness.</summary>
    public const string Switch = "--scaling";

    /// <summary>How long a worker may take to notice the stop signal and finish before the run fails.</summary>
    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long each workload runs once, unmeasured, before the measurements (JIT tiering).</summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromMilliseconds(300);

    /// <summary>Runs the harness.</summary>
    /// <param name="args">The command line; see <see cref="ScalingOptions"/>.</param>
    /// <returns>0 when every run kept its invariant, 1 when one did not, 2 on bad arguments.</returns>
    public static int Run(IReadOnlyList<string> args)
    {
        ScalingOptions? options = ScalingOptions.TryParse(args, out string? error);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(ScalingOptions.Usage);
            return 2;
        }

        IReadOnlyList<ScalingWorkload> all = ScalingWorkloads.Create();
        IReadOnlyList<ScalingWorkload> workloads = options.Groups is null ? all : all.Where(w => options.Groups.Contains(w.Group)).ToList();
        if (workloads.Count == 0)
        {
            Console.Error.WriteLine($"--workloads selects nothing; the groups are: {string.Join(", ", all.Select(static w => w.Group).Distinct())}.");
            Console.Error.WriteLine(ScalingOptions.Usage);
            return 2;
        }

        Console.WriteLine("# Stm scaling harness");
        Console.WriteLine();
        Console.WriteLine(Invariant($"{Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, server GC: {System.Runtime.GCSettings.IsServerGC}"));
        Console.WriteLine(Invariant($"{options.Duration.TotalSeconds:0.##} s per run; thread counts: {string.Join(", ", options.ThreadCounts)}"));
        Console.WriteLine();

        var failures = new List<string>();
        TimeSpan warmUp = options.Duration < s_warmUp ? options.Duration : s_warmUp;
        foreach (ScalingWorkload workload in workloads)
        {
            TryMeasure(workload, options.ThreadCounts[0], warmUp, failures);
        }

        var results = new ScalingResult?[options.ThreadCounts.Count, workloads.Count];
        for (int t = 0; t < options.ThreadCounts.Count; t++)
        {
            for (int w = 0; w < workloads.Count; w++)
            {
                int threads = options.ThreadCounts[t];
                Console.Error.WriteLine(Invariant($"running {workloads[w].Title} with {threads} threads..."));
                results[t, w] = TryMeasure(workloads[w], threads, options.Duration, failures);
            }
        }

        Console.WriteLine(Report(options, workloads, results));
        if (options.CsvPath is { } csvPath)
        {
            WriteCsv(csvPath, options, workloads, results);
            Console.WriteLine(Invariant($"CSV written to {Path.GetFullPath(csvPath)}"));
            Console.WriteLine();
        }

        if (failures.Count > 0)
        {
            Console.WriteLine("## FAILED runs");
            Console.WriteLine();
            foreach (string failure in failures)
            {
                Console.WriteLine($"- {failure}");
            }

            return 1;
        }

        return 0;
    }

    /// <summary>Measures one run; on a broken invariant or a worker exception records it and returns <see langword="null"/>.</summary>
    private static ScalingResult? TryMeasure(ScalingWorkload workload, int threads, TimeSpan duration, List<string> failures)
    {
        try
        {
            return Measure(workload, threads, duration);
        }
        catch (Exception exception)
        {
            failures.Add(Invariant($"{workload.Title}, {threads} threads: {exception.GetType().Name}: {exception.Message}"));
            return null;
        }
    }

    /// <summary>Runs <paramref name="workload"/> on <paramref name="threads"/> workers for <paramref name="duration"/>.</summary>
    private static ScalingResult Measure(ScalingWorkload workload, int threads, TimeSpan duration)
    {
        ScalingRound round = workload.Prepare(threads);
        var stop = new StopSignal();
        using var failed = new ManualResetEventSlim();
        int backgroundThreads = round.Background is null ? 0 : 1;
        using var start = new Barrier(threads + backgroundThreads + 1);
        var operations = new long[threads];
        var commits = new long[threads];
        var attempts = new long[threads];
        var lockingCommits = new long[threads];
        Exception? failure = null;

        var workers = new Thread[threads + backgroundThreads];
        for (int i = 0; i < threads; i++)
        {
            int index = i;
            workers[i] = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    // Per-thread engine counters: read on this thread, before and after its work.
                    long commitsBefore = TransactionStatistics.Commits;
                    long attemptsBefore = TransactionStatistics.Attempts;
                    long lockingCommitsBefore = TransactionStatistics.LockingCommits;
                    operations[index] = round.Worker(index, stop);
                    commits[index] = TransactionStatistics.Commits - commitsBefore;
                    attempts[index] = TransactionStatistics.Attempts - attemptsBefore;
                    lockingCommits[index] = TransactionStatistics.LockingCommits - lockingCommitsBefore;
                }
                catch (Exception exception)
                {
                    Interlocked.CompareExchange(ref failure, exception, null);
                    failed.Set();
                }
            })
            { IsBackground = true, Name = $"scaling-worker-{index}" };
        }

        if (round.Background is { } background)
        {
            workers[threads] = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    background(stop);
                }
                catch (Exception exception)
                {
                    Interlocked.CompareExchange(ref failure, exception, null);
                    failed.Set();
                }
            })
            { IsBackground = true, Name = "scaling-background" };
        }

        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        int gen0 = GC.CollectionCount(0);
        int gen1 = GC.CollectionCount(1);
        int gen2 = GC.CollectionCount(2);

        start.SignalAndWait();
        Stopwatch stopwatch = Stopwatch.StartNew();
        failed.Wait(duration);   // the full duration, unless a worker fails first
        stop.Set();
        foreach (Thread worker in workers)
        {
            // A worker stuck in a transaction (deadlock, lost wake-up) fails the run instead of
            // hanging the harness; the threads are background threads, so the process can still exit.
            if (!worker.Join(s_joinTimeout))
            {
                throw new InvalidOperationException($"Worker '{worker.Name}' did not stop within {s_joinTimeout.TotalSeconds:0} s of the end of the run.");
            }
        }

        stopwatch.Stop();
        var result = new ScalingResult(
            operations.Sum(),
            stopwatch.Elapsed,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(1) - gen1,
            GC.CollectionCount(2) - gen2,
            commits.Sum(),
            attempts.Sum(),
            lockingCommits.Sum());

        if (failure is not null)
        {
            throw new InvalidOperationException($"A worker threw {failure.GetType().Name}: {failure.Message}", failure);
        }

        round.Verify(result.Operations);
        return result;
    }

    /// <summary>Formats all tables as Markdown.</summary>
    private static string Report(ScalingOptions options, IReadOnlyList<ScalingWorkload> workloads, ScalingResult?[,] results)
    {
        var report = new StringBuilder();
        int[] all = Enumerable.Range(0, workloads.Count).ToArray();
        int[] stm = all.Where(w => workloads[w].IsStm).ToArray();

        AppendTable(report, "Throughput (million operations per second)", options, workloads.Select(w => w.Title), results, all,
            static r => Invariant($"{r.Throughput / 1e6:0.000}"));

        // STM throughput divided by each baseline of the same group, at the same thread count.
        var pairs = new List<(int Stm, int Baseline)>();
        foreach (int s in stm)
        {
            for (int b = 0; b < workloads.Count; b++)
            {
                if (b != s && workloads[b].Group == workloads[s].Group)
                {
                    pairs.Add((s, b));
                }
            }
        }

        report.AppendLine("## STM throughput / baseline throughput (higher is better for STM)").AppendLine();
        AppendHeader(report, pairs.Select(p => $"{workloads[p.Stm].Group}: stm / {workloads[p.Baseline].Variant}"));
        for (int t = 0; t < options.ThreadCounts.Count; t++)
        {
            report.Append(Invariant($"| {options.ThreadCounts[t]} |"));
            foreach ((int s, int b) in pairs)
            {
                ScalingResult? stmResult = results[t, s];
                ScalingResult? baseline = results[t, b];
                report.Append(stmResult is null || baseline is null || baseline.Throughput == 0
                    ? " FAILED |"
                    : Invariant($" {stmResult.Throughput / baseline.Throughput:0.00}x |"));
            }

            report.AppendLine();
        }

        report.AppendLine();
        AppendTable(report, "GC collections per million operations (gen0 / gen1 / gen2, process-wide)", options, workloads.Select(w => w.Title), results, all,
            static r => Invariant($"{r.CollectionsPerMillion(0):0.##} / {r.CollectionsPerMillion(1):0.##} / {r.CollectionsPerMillion(2):0.##}"));
        AppendTable(report, "STM attempts per committed transaction (worker threads)", options, stm.Select(w => workloads[w].Title), results, stm,
            static r => r.Commits == 0 ? "-" : Invariant($"{(double)r.Attempts / r.Commits:0.000}"));
        AppendTable(report, "Share of STM commits that took TVar locks (worker threads; the other updates committed alone, holding only the clock)", options, stm.Select(w => workloads[w].Title), results, stm,
            static r => r.Commits == 0 ? "-" : Invariant($"{(double)r.LockingCommits / r.Commits:0.000}"));
        return report.ToString();
    }

    /// <summary>
    /// Writes one CSV row per thread count and workload: the machine, the throughput and the
    /// per-run statistics. A failed run is written with <c>Failed</c> set and empty figures.
    /// </summary>
    private static void WriteCsv(string path, ScalingOptions options, IReadOnlyList<ScalingWorkload> workloads, ScalingResult?[,] results)
    {
        string machine = Invariant($"{Environment.ProcessorCount} logical cores; {RuntimeInformation.FrameworkDescription}; {RuntimeInformation.OSDescription}");
        var csv = new StringBuilder();
        csv.AppendLine("Threads,Group,Variant,Seconds,OperationsPerSecond,Gen0PerMillion,Gen1PerMillion,Gen2PerMillion,AttemptsPerCommit,LockingCommitShare,Failed,Machine");
        for (int t = 0; t < options.ThreadCounts.Count; t++)
        {
            for (int w = 0; w < workloads.Count; w++)
            {
                ScalingWorkload workload = workloads[w];
                csv.Append(Invariant($"{options.ThreadCounts[t]},{workload.Group},{workload.Variant},{options.Duration.TotalSeconds:0.###},"));
                if (results[t, w] is { } r)
                {
                    string attempts = workload.IsStm && r.Commits > 0 ? Invariant($"{(double)r.Attempts / r.Commits:0.0000}") : string.Empty;
                    string locking = workload.IsStm && r.Commits > 0 ? Invariant($"{(double)r.LockingCommits / r.Commits:0.0000}") : string.Empty;
                    csv.Append(Invariant($"{r.Throughput:0},{r.CollectionsPerMillion(0):0.###},{r.CollectionsPerMillion(1):0.###},{r.CollectionsPerMillion(2):0.###},{attempts},{locking},False,"));
                }
                else
                {
                    csv.Append(",,,,,,True,");
                }

                csv.Append('"').Append(machine.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').AppendLine();
            }
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, csv.ToString());
    }

    private static void AppendTable(StringBuilder report, string title, ScalingOptions options, IEnumerable<string> columns,
        ScalingResult?[,] results, int[] workloadIndexes, Func<ScalingResult, string> format)
    {
        report.AppendLine(Invariant($"## {title}")).AppendLine();
        AppendHeader(report, columns);
        for (int t = 0; t < options.ThreadCounts.Count; t++)
        {
            report.Append(Invariant($"| {options.ThreadCounts[t]} |"));
            foreach (int w in workloadIndexes)
            {
                report.Append(' ').Append(results[t, w] is { } result ? format(result) : "FAILED").Append(" |");
            }

            report.AppendLine();
        }

        report.AppendLine();
    }

    private static void AppendHeader(StringBuilder report, IEnumerable<string> columns)
    {
        List<string> titles = columns.ToList();
        report.Append("| threads |");
        foreach (string title in titles)
        {
            report.Append(' ').Append(title).Append(" |");
        }

        report.AppendLine().Append("|---:|");
        report.Append(string.Concat(Enumerable.Repeat("---:|", titles.Count))).AppendLine();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
