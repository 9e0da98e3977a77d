using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains;
using BenchmarkDotNet.Toolchains.CsProj;
using BenchmarkDotNet.Toolchains.DotNetCli;

namespace Stm.Benchmarks.Infrastructure;

/// <summary>
/// The out-of-process project generator, pointed at <c>bench/Bench.csproj</c>.
/// </summary>
/// <remarks>
/// BenchmarkDotNet's default toolchain finds the project to reference by looking for a file named
/// after the assembly (<c>Stm.Benchmarks.csproj</c>); ours is <c>Bench.csproj</c>, so without this
/// the default (out-of-process) job fails with "Unable to find Stm.Benchmarks". This generator
/// returns the project found next to the running assembly instead; everything else is the
/// standard generator.
/// </remarks>
internal sealed class BenchProjectGenerator : CsProjGenerator
{
    /// <summary>The project file name to look for.</summary>
    private const string ProjectFileName = "Bench.csproj";

    /// <summary>The settings BenchmarkDotNet's own .NET 10 toolchain uses.</summary>
    private static readonly NetCoreAppSettings s_settings = NetCoreAppSettings.NetCoreApp10_0;

    /// <summary>The project file.</summary>
    private readonly FileInfo _project;

    private BenchProjectGenerator(FileInfo project)
        // The same values BenchmarkDotNet's CsProjCoreToolchain.From passes; null means "the
        // default" (dotnet on the PATH, the default packages folder, the SDK's runtime version).
        : base(s_settings.TargetFrameworkMoniker, s_settings.CustomDotNetCliPath!, s_settings.PackagesPath!, s_settings.RuntimeFrameworkVersion!, isNetCore: true)
    {
        _project = project;
    }

    /// <summary>
    /// The default out-of-process toolchain, building against <c>Bench.csproj</c>; or
    /// <see langword="null"/> when the project is not found above the running assembly (a published
    /// copy), in which case BenchmarkDotNet's own toolchain and its own error message apply.
    /// </summary>
    public static IToolchain? CreateToolchain()
    {
        FileInfo? project = FindProject(AppContext.BaseDirectory);
        return project is null
            ? null
            : new Toolchain(
                "CsProj (Bench.csproj)",
                new BenchProjectGenerator(project),
                new DotNetCliBuilder(s_settings.TargetFrameworkMoniker, s_settings.CustomDotNetCliPath),
                new DotNetCliExecutor(s_settings.CustomDotNetCliPath!));
    }

    /// <inheritdoc/>
    protected override FileInfo GetProjectFilePath(Type benchmarkTarget, ILogger logger) => _project;

    /// <summary>Walks up from <paramref name="start"/> (bench/bin/Release/net10.0/) to the folder holding the project.</summary>
    private static FileInfo? FindProject(string start)
    {
        for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
        {
            var candidate = new FileInfo(Path.Combine(directory.FullName, ProjectFileName));
            if (candidate.Exists)
            {
                return candidate;
            }
        }

        return null;
    }
}
