using System.IO.Compression;
using System.Xml.Linq;

/// <summary>Checks the files and nuspec metadata of the packed .nupkg and .snupkg files.</summary>
internal static class PackageContents
{
    public static void Verify(string feed, string version, CheckList checks)
    {
        VerifyPackage(feed, "Stm", version, checks, expectedDependency: "Microsoft.Extensions.ObjectPool");
        VerifyPackage(feed, "Stm.Collections", version, checks, expectedDependency: "Stm");
    }

    private static void VerifyPackage(string feed, string id, string version, CheckList checks, string expectedDependency)
    {
        string package = Path.Combine(feed, $"{id}.{version}.nupkg");
        string symbols = Path.Combine(feed, $"{id}.{version}.snupkg");
        if (!File.Exists(package) || !File.Exists(symbols))
        {
            checks.Fail($"{package} or its .snupkg is missing");
            return;
        }

        using (ZipArchive zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            foreach (string expected in new[] { $"{id}.nuspec", $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml", "README.md", "LICENSE" })
            {
                checks.Expect(entries.Contains(expected), $"{id}.nupkg lacks {expected}");
            }
            // The collections package must not carry its own copy of Stm.dll: Stm comes as a dependency.
            string[] libraries = [.. entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal))];
            checks.Expect(libraries.SequenceEqual([$"lib/net10.0/{id}.dll"]), $"{id}.nupkg holds the assemblies {string.Join(", ", libraries)}");

            // The analyzers travel inside the core package, so every project that uses Stm gets them.
            string[] analyzers = [.. entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
            string[] expectedAnalyzers = id == "Stm"
                ? ["analyzers/dotnet/cs/Stm.Analyzers.CodeFixes.dll", "analyzers/dotnet/cs/Stm.Analyzers.dll"]
                : [];
            checks.Expect(analyzers.SequenceEqual(expectedAnalyzers), $"{id}.nupkg holds the analyzers [{string.Join(", ", analyzers)}]");

            ZipArchiveEntry? nuspecEntry = zip.GetEntry($"{id}.nuspec");
            if (nuspecEntry is not null)
            {
                using Stream stream = nuspecEntry.Open();
                VerifyNuspec(XDocument.Load(stream), id, version, expectedDependency, checks);
            }
        }

        using (ZipArchive zip = ZipFile.OpenRead(symbols))
        {
            checks.Expect(zip.GetEntry($"lib/net10.0/{id}.pdb") is not null, $"{id}.snupkg lacks lib/net10.0/{id}.pdb");
        }
    }

    private static void VerifyNuspec(XDocument nuspec, string id, string version, string expectedDependency, CheckList checks)
    {
        string? Field(string name) =>
            nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

        checks.Expect(Field("id") == id, $"{id}.nuspec: id is {Field("id")}");
        checks.Expect(Field("version") == version, $"{id}.nuspec: version is {Field("version")}, expected {version}");
        checks.Expect(Field("authors") == "Stm contributors", $"{id}.nuspec: authors is {Field("authors")}");
        checks.Expect(Field("license") == "MIT", $"{id}.nuspec: license is {Field("license")}");
        checks.Expect(Field("readme") == "README.md", $"{id}.nuspec: readme is {Field("readme")}");
        checks.Expect(!string.IsNullOrWhiteSpace(Field("description")), $"{id}.nuspec: no description");
        checks.Expect(!string.IsNullOrWhiteSpace(Field("releaseNotes")), $"{id}.nuspec: no release notes");
        checks.Expect(!string.IsNullOrWhiteSpace(Field("tags")), $"{id}.nuspec: no tags");

        XElement? dependency = nuspec.Descendants()
            .FirstOrDefault(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == expectedDependency);
        checks.Expect(dependency is not null, $"{id}.nuspec: no dependency on {expectedDependency}");
        if (expectedDependency == "Stm" && dependency is not null)
        {
            // Both packages are released together, so the collections need at least the Stm built beside them.
            checks.Expect((string?)dependency.Attribute("version") == version,
                $"{id}.nuspec: depends on Stm {(string?)dependency.Attribute("version")}, expected {version}");
        }
    }
}
