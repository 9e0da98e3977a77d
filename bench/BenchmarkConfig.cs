using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Stm.Benchmarks.Infrastructure;

namespace Stm.Benchmarks;

/// <summary>Builds the BenchmarkDotNet configuration shared by every suite of this assembly.</summary>
internal static class BenchmarkConfig
{
    /// <summary>
    /// The configuration: the default job (or the quick in-process job), the memory diagnoser
    /// (allocated bytes per operation plus Gen0/Gen1/Gen2 collections per 1,000 operations), and the
    /// CSV exporter, which carries the Ratio column (the JSON exporter does not).
    /// </summary>
    /// <param name="quick">
    /// <see langword="true"/> for the smoke mode: in-process emit toolchain (no child project to
    /// build), one warm-up and three 100 ms iterations. Its numbers are not measurements.
    /// </param>
    public static IConfig Create(bool quick)
    {
        // The memory diagnoser is also on every class as [MemoryDiagnoser]; adding it here covers a
        // suite that forgets the attribute. The default configuration already exports CSV; add it
        // only if a future default stops doing so (a second one only earns a warning).
        ManualConfig config = ManualConfig.Create(DefaultConfig.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default);
        if (!config.GetExporters().OfType<CsvExporter>().Any())
        {
            config.AddExporter(CsvExporter.Default);
        }

        // Added as mutators: their settings apply on top of every job, the implicit default one
        // and any given on the command line (--job short, --job dry) alike.
        if (quick)
        {
            config.AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithIterationTime(TimeInterval.FromMilliseconds(100))
                .AsMutator());
        }
        else if (BenchProjectGenerator.CreateToolchain() is { } toolchain)
        {
            config.AddJob(Job.Default.WithToolchain(toolchain).AsMutator());
        }

        // The out-of-process job builds a child project referencing the whole solution; the default
        // two-minute limit is too short on a busy two-core machine.
        config.WithBuildTimeout(TimeSpan.FromMinutes(10));

        return config;
    }
}
