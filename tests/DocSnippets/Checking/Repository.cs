namespace DocSnippets.Checking;

/// <summary>Finds the repository's files from the test's output folder: the pages and the snippet sources.</summary>
internal static class Repository
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root: the folder above the output folder that holds <c>Stm.sln</c>.</summary>
    public static string Root => s_root.Value;

    /// <summary>
    /// The pages whose ```csharp blocks must come from compiled code: README.md and docs/*.md (the
    /// analyzer pages under docs/analyzers show code the analyzers reject, on purpose, and are left out).
    /// </summary>
    public static IReadOnlyList<string> PagesWithCheckedCode() =>
        ["README.md", .. MarkdownUnder("docs", SearchOption.TopDirectoryOnly)];

    /// <summary>The pages whose relative links must resolve: README.md, docs/**/*.md and samples/README.md.</summary>
    public static IReadOnlyList<string> PagesWithCheckedLinks() =>
        ["README.md", .. MarkdownUnder("docs", SearchOption.AllDirectories), "samples/README.md"];

    /// <summary>The full path of <paramref name="relativePath"/> (forward slashes, from the root).</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The text of <paramref name="relativePath"/>.</summary>
    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    private static IEnumerable<string> MarkdownUnder(string folder, SearchOption option) =>
        Directory.EnumerateFiles(PathOf(folder), "*.md", option)
            .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Stm.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Stm.sln above {AppContext.BaseDirectory}: run the tests from a clone of the repository.");
    }
}
