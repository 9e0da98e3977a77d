namespace DocSnippets.Checking;

/// <summary>Every relative link of the pages leads somewhere: an existing file, and an existing heading when it names one.</summary>
public sealed class LinkTests
{
    /// <summary>
    /// Pages that other pages link to but that are produced and merged on their own (the measured
    /// figures): a link to one of them is accepted while it is absent, and checked like any other
    /// once it is there.
    /// </summary>
    private static readonly HashSet<string> s_pagesMergedSeparately = new(StringComparer.Ordinal) { "docs/performance.md" };

    public static TheoryData<string> Pages() => [.. Repository.PagesWithCheckedLinks()];

    [Theory]
    [MemberData(nameof(Pages))]
    public void RelativeLinks_PointToExistingFilesAndHeadings(string page)
    {
        var problems = new List<string>();
        foreach ((int line, string target) in Markdown.Links(Repository.Read(page)))
        {
            if (Problem(page, target) is { } problem)
            {
                problems.Add($"{page}:{line}: {target}: {problem}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Slug_FollowsGitHubAnchors()
    {
        Assert.Equal("what-counts-as-a-transaction-body", Markdown.Slug("What counts as a transaction body"));
        Assert.Equal("atomicrun-and-retry", Markdown.Slug("`Atomic.Run` and `Retry`"));
        Assert.Equal("exceptions-and-handlers", Markdown.Slug("Exceptions and handlers"));
        Assert.Equal("1-a-producer-with-ten-consumers", Markdown.Slug("1. A producer with ten consumers"));
    }

    [Fact]
    public void Links_AreFoundInProseButNotInCode()
    {
        const string Page = """
            See [the guarantees](docs/guarantees.md#opacity) and `[not](a-link.md)`.

            ```csharp
            var x = list[0](1);
            ```

            [ref]: docs/patterns.md
            """;

        var targets = Markdown.Links(Page).Select(static l => l.Target).ToList();

        Assert.Equal(["docs/guarantees.md#opacity", "docs/patterns.md"], targets);
    }

    private static string? Problem(string page, string target)
    {
        if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
        {
            return null;
        }

        string[] parts = target.Split('#', 2);
        string file = parts[0].Length == 0
            ? page
            : Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Repository.PathOf(page))!, Uri.UnescapeDataString(parts[0]))))
                .Replace(Path.DirectorySeparatorChar, '/');
        if (file.StartsWith("..", StringComparison.Ordinal))
        {
            return "leads outside the repository";
        }

        string path = Repository.PathOf(file);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return s_pagesMergedSeparately.Contains(file) ? null : $"no file {file}";
        }

        if (parts.Length == 2 && file.EndsWith(".md", StringComparison.Ordinal) && File.Exists(path)
            && !Markdown.HeadingAnchors(File.ReadAllText(path)).Contains(parts[1]))
        {
            return $"{file} has no heading with the anchor #{parts[1]}";
        }

        return null;
    }
}
