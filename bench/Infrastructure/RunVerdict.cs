using BenchmarkDotNet.Reports;

namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// Decides whether a BenchmarkDotNet run succeeded, which BenchmarkDotNet's own exit code does not
/// tell: it exits with 0 when the filter matched nothing, when a benchmark failed, and when a
/// benchmark's <c>[GlobalCleanup]</c> check threw.
/// </summary>
internal static class RunVerdict
{
    /// <summary>Arguments that only print information; they run no benchmark and are not failures.</summary>
    private static readonly string[] s_informationalSwitches = ["--list", "--help", "-h", "-?", "--version", "--info"];

    /// <summary>
    /// Prints every reason the run failed (or one line saying it passed) and returns the exit code:
    /// 1 if no benchmark ran (a filter that matches nothing), a validation error was critical, a
    /// benchmark has no report or a failed one, or a benchmark reported an error (such as an
    /// invariant check in <c>[GlobalCleanup]</c>); 0 otherwise.
    /// </summary>
    /// <param name="args">The arguments given to BenchmarkDotNet.</param>
    /// <param name="summaries">What the run returned.</param>
    /// <param name="errors">The error lines the benchmarks reported.</param>
    /// <param name="output">Where to print the verdict.</param>
    public static int Decide(IReadOnlyList<string> args, IReadOnlyList<Summary> summaries, IReadOnlyList<string> errors, TextWriter output)
    {
        var failures = new List<string>();
        int cases = summaries.Sum(static s => s.BenchmarksCases.Length);
        if (cases == 0)
        {
            if (args.Any(a => s_informationalSwitches.Contains(a, StringComparer.Ordinal)))
            {
                return 0;
            }

            failures.Add("no benchmark ran: the filter matched nothing (see the list above), or no filter was given");
        }

        foreach (Summary summary in summaries)
        {
            failures.AddRange(summary.ValidationErrors
                .Where(static e => e.IsCritical)
                .Select(static e => $"validation error: {e.Message}"));
            foreach (var benchmark in summary.BenchmarksCases)
            {
                BenchmarkReport? report = summary[benchmark];
                if (report is null)
                {
                    failures.Add($"{benchmark.DisplayInfo}: no report");
                }
                else if (!report.Success)
                {
                    failures.Add($"{benchmark.DisplayInfo}: failed (see its log above)");
                }
            }
        }

        failures.AddRange(errors.Distinct(StringComparer.Ordinal).Select(static e => $"error: {e}"));

        if (failures.Count == 0)
        {
            output.WriteLine($"Benchmark run: OK ({cases} benchmark{(cases == 1 ? string.Empty : "s")} ran, every report succeeded, no benchmark reported an error)");
            return 0;
        }

        output.WriteLine($"Benchmark run: FAILED ({failures.Count} problem{(failures.Count == 1 ? string.Empty : "s")})");
        foreach (string failure in failures)
        {
            output.WriteLine($"  {failure}");
        }

        return 1;
    }
}
