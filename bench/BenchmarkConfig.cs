using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

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

        if (quick)
        {
            config.AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithIterationTime(TimeInterval.FromMilliseconds(100))
                .WithId("Quick"));
        }

        return config;
    }
}
