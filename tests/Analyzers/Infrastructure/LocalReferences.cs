using System.Collections.Immutable;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Stm.Tests.Analyzers.Infrastructure;

/// <summary>
/// The framework the test programs compile against, taken from the machine instead of downloaded:
/// the reference pack that came with the SDK running the tests, or, without one, the assemblies of
/// the running runtime. The testing library's own <c>ReferenceAssemblies.Net.*</c> would fetch a
/// package from a feed at test time; this needs nothing but the installed SDK.
/// </summary>
internal static class LocalReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(Load);

    /// <summary>No packages to resolve: the references come from <see cref="All"/>.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    /// <summary>Metadata references for the whole framework (System.Runtime, System.Console, System.Net.Http...).</summary>
    public static ImmutableArray<MetadataReference> All => s_references.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string directory = FindReferencePack(runtimeDirectory) ?? runtimeDirectory;
        return Directory.EnumerateFiles(directory, "*.dll")
            .Where(HasMetadata)
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    // <dotnet>/shared/Microsoft.NETCore.App/<version>/ -> <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.<minor>/
    private static string? FindReferencePack(string runtimeDirectory)
    {
        var runtime = new DirectoryInfo(runtimeDirectory);
        DirectoryInfo? dotnetRoot = runtime.Parent?.Parent?.Parent;
        if (dotnetRoot is null || !Version.TryParse(runtime.Name.Split('-')[0], out Version? version))
        {
            return null;
        }

        string candidate = Path.Combine(
            dotnetRoot.FullName, "packs", "Microsoft.NETCore.App.Ref", runtime.Name, "ref", $"net{version.Major}.{version.Minor}");
        return File.Exists(Path.Combine(candidate, "System.Runtime.dll")) ? candidate : null;
    }

    private static bool HasMetadata(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            return reader.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
