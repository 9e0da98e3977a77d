using System.Text;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Validators;

namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// A BenchmarkDotNet logger that prints nothing and keeps every error line a benchmark reported
/// (<c>// ERROR: ...</c>), with the benchmark it belongs to.
/// </summary>
/// <remarks>
/// BenchmarkDotNet catches an exception thrown by a <c>[GlobalCleanup]</c> (where the suites check
/// their invariants: money conserved, no lost increment), logs it as <c>// ERROR:</c> and, in the
/// in-process toolchain of <c>--quick</c>, still reports the benchmark as successful. This logger is
/// how <see cref="Program"/> sees those errors and fails the run. BenchmarkDotNet's own warnings
/// (<c>// ! Failed to set up priority ...</c> on a machine without the permission) are not errors
/// of a benchmark and are not kept.
/// </remarks>
internal sealed class ErrorLineCollector : ILogger
{
    private const string BenchmarkLinePrefix = "// Benchmark: ";

    /// <summary>How BenchmarkDotNet starts the line of an error a benchmark reported, <c>// ERROR:</c>.</summary>
    private static readonly string s_errorPrefix = ValidationErrorReporter.ConsoleErrorPrefix.Trim();

    private readonly StringBuilder _line = new();
    private readonly List<string> _errors = [];
    private string _currentBenchmark = "(before any benchmark)";

    /// <summary>The error lines seen so far, each prefixed with its benchmark.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <inheritdoc/>
    public string Id => nameof(ErrorLineCollector);

    /// <inheritdoc/>
    public int Priority => 0;

    /// <inheritdoc/>
    public void Write(LogKind logKind, string text) => _line.Append(text);

    /// <inheritdoc/>
    public void WriteLine() => EndLine();

    /// <inheritdoc/>
    public void WriteLine(LogKind logKind, string text)
    {
        _line.Append(text);
        EndLine();
    }

    /// <inheritdoc/>
    public void Flush()
    {
    }

    private void EndLine()
    {
        // Text written without a line end (BenchmarkDotNet writes some blocks that way) ends up in
        // front of the next line: look at every line of what was collected.
        string text = _line.ToString();
        _line.Clear();
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.StartsWith(BenchmarkLinePrefix, StringComparison.Ordinal))
            {
                // "Type.Method: Job-XYZ(...)": the job's settings are the same for every benchmark.
                string benchmark = line[BenchmarkLinePrefix.Length..];
                int job = benchmark.IndexOf(": ", StringComparison.Ordinal);
                _currentBenchmark = job > 0 ? benchmark[..job] : benchmark;
            }
            else if (line.StartsWith(s_errorPrefix, StringComparison.Ordinal))
            {
                _errors.Add($"{_currentBenchmark}: {line[s_errorPrefix.Length..].Trim()}");
            }
        }
    }
}
