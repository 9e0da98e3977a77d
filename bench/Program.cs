using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Stm.Benchmarks.Infrastructure;
using Stm.Benchmarks.Optimistic;
using Stm.Benchmarks.Scaling;

namespace Stm.Benchmarks;

/// <summary>
/// Entry point of the benchmark project.
/// <list type="bullet">
/// <item><c>dotnet run -c Release --project bench -- --filter '*'</c> runs every BenchmarkDotNet suite of
/// this assembly (<c>bench/Core</c>, <c>bench/Collections</c>, ...) with the default (out-of-process) job.</item>
/// <item>Add <c>--quick</c> (or set <c>STM_BENCH_QUICK=1</c>) for an in-process run with few short
/// iterations: a smoke check that finishes in seconds, not a measurement.</item>
/// <item><c>--scaling [--threads 1,2,4,8,16] [--seconds 2] [--csv file]</c> runs the multi-thread throughput harness
/// (<see cref="ScalingHarness"/>) instead of BenchmarkDotNet.</item>
/// <item><c>--optimistic [--tasks 16] [--keys 100] [--seconds 3] [--quick]</c> runs the optimistic-concurrency
/// harness (<see cref="OptimisticHarness"/>): checkouts that await a simulated call against a semaphore per key.</item>
/// </list>
/// </summary>
public static class Program
{
    /// <summary>The command-line switch that selects the quick in-process mode.</summary>
    public const string QuickSwitch = "--quick";

    /// <summary>The environment variable that selects the quick mode when set to <c>1</c>.</summary>
    public const string QuickEnvironmentVariable = "STM_BENCH_QUICK";

    /// <summary>Runs the benchmarks or the scaling harness that <paramref name="args"/> select.</summary>
    /// <param name="args">BenchmarkDotNet arguments, plus <c>--quick</c>, or <c>--scaling ...</c> or <c>--optimistic ...</c>.</param>
    /// <returns>
    /// 0 when everything ran; 1 when no benchmark matched the filter, a benchmark failed, a
    /// benchmark's invariant check failed, or a harness check failed.
    /// </returns>
    public static int Main(string[] args)
    {
        if (args.Contains(ScalingHarness.Switch, StringComparer.Ordinal))
        {
            return ScalingHarness.Run(args);
        }

        if (args.Contains(OptimisticHarness.Switch, StringComparer.Ordinal))
        {
            return OptimisticHarness.Run(args);
        }

        bool quick = args.Contains(QuickSwitch, StringComparer.Ordinal)
            || Environment.GetEnvironmentVariable(QuickEnvironmentVariable) == "1";
        string[] benchmarkArgs = args.Where(static a => a != QuickSwitch).ToArray();

        var errors = new ErrorLineCollector();
        IConfig config = BenchmarkConfig.Create(quick).AddLogger(errors);
        Summary[] summaries = [.. BenchmarkSwitcher
            .FromAssembly(typeof(Program).Assembly)
            .Run(benchmarkArgs, config)];

        // BenchmarkDotNet exits with 0 when the filter matched nothing, when a benchmark threw or
        // failed to build, and when an invariant check in a [GlobalCleanup] threw: decide here, so
        // that a smoke run in CI fails in each of these cases.
        return RunVerdict.Decide(benchmarkArgs, summaries, errors.Errors, Console.Out);
    }
}
