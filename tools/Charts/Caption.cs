using System.Globalization;

namespace Stm.Charts;

/// <summary>
/// The line under every chart that says where and when the figures were taken: the processor and
/// runtime from BenchmarkDotNet's Markdown report (or the scaling harness's machine line), the date
/// of the result files, and how many runs the bars summarise.
/// </summary>
internal static class Caption
{
    /// <summary>Builds the caption from the inputs of one invocation.</summary>
    public static string Derive(IReadOnlyList<string> resultFolders, IReadOnlyList<string> scalingFiles, IReadOnlyList<ScalingRow> scalingRows)
    {
        string? machine = resultFolders.Select(MachineFromReports).FirstOrDefault(static m => m is not null)
            ?? scalingRows.Select(static r => r.Machine).FirstOrDefault(static m => m.Length > 0);
        DateTime? newest = resultFolders.Where(Directory.Exists)
            .SelectMany(static d => Directory.EnumerateFiles(d, "*" + BenchmarkCsv.ReportSuffix))
            .Concat(scalingFiles.Where(File.Exists))
            .Select(static f => (DateTime?)File.GetLastWriteTimeUtc(f))
            .Max();
        int runs = Math.Max(resultFolders.Count, scalingFiles.Count);
        string date = newest?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "date unknown";
        string spread = runs > 1 ? $"; median of {runs} runs, whiskers: lowest to highest" : "; one run";
        return $"{machine ?? "machine unknown"}; {date}{spread}";
    }

    /// <summary>"AMD EPYC 2.60GHz, 1 CPU, 2 logical and 2 physical cores; .NET 10.0.12" from a <c>*-report-github.md</c>.</summary>
    private static string? MachineFromReports(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        string? report = Directory.EnumerateFiles(folder, "*-report-github.md").Order(StringComparer.Ordinal).FirstOrDefault();
        if (report is null)
        {
            return null;
        }

        string[] lines = File.ReadAllLines(report);
        int header = Array.FindIndex(lines, static l => l.StartsWith("BenchmarkDotNet v", StringComparison.Ordinal));
        string? cpu = header >= 0 && header + 1 < lines.Length ? lines[header + 1].Trim() : null;
        string? host = lines.Select(static l => l.Trim()).FirstOrDefault(static l => l.StartsWith("[Host]", StringComparison.Ordinal));
        string? runtime = host?.Split(':', 2) is [_, string rest] ? rest.Split('(')[0].Trim() : null;
        if (cpu is null)
        {
            return null;
        }

        // "AMD EPYC 2.60GHz, 1 CPU, 2 logical and 2 physical cores" -> "AMD EPYC 2.60GHz, 2 logical cores".
        string[] parts = cpu.Split(", ");
        string? logical = parts.FirstOrDefault(static p => p.Contains("logical", StringComparison.Ordinal));
        string shortCpu = logical is null ? cpu : $"{parts[0]}, {logical.Split(" and ")[0].Replace("logical", "logical cores", StringComparison.Ordinal)}";
        return runtime is null ? shortCpu : $"{shortCpu}; {runtime}";
    }
}
