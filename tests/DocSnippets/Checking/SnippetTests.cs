namespace DocSnippets.Checking;

/// <summary>The code on the pages is the code compiled and run in this project, verbatim.</summary>
public sealed class SnippetTests
{
    public static TheoryData<string> PagesWithCode() => [.. Repository.PagesWithCheckedCode()];

    [Theory]
    [MemberData(nameof(PagesWithCode))]
    public void CsharpBlocks_AppearVerbatimInTheSourcesTheirMarkersName(string page)
    {
        IReadOnlyList<CodeBlock> blocks = Markdown.CodeBlocks(page, Repository.Read(page));

        IReadOnlyList<string> problems = SnippetChecker.Check(blocks, LoadIfExists);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Pages_ShowCompiledCode()
    {
        // Guards the check itself: if the pages lost their blocks (or the parser stopped finding
        // them), every per-page test would pass with nothing checked.
        int blocks = Repository.PagesWithCheckedCode()
            .Sum(page => Markdown.CodeBlocks(page, Repository.Read(page)).Count(static b => b.Language == "csharp"));

        Assert.True(blocks >= 30, $"only {blocks} csharp blocks found in README.md and docs/*.md");
    }

    [Fact]
    public void SnippetSources_HaveWellFormedRegions()
    {
        string folder = Repository.PathOf("tests/DocSnippets");
        var problems = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(static path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => SnippetSource.Load(Path.GetRelativePath(Repository.Root, path).Replace(Path.DirectorySeparatorChar, '/')))
            .SelectMany(static source => source.Errors)
            .ToList();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Check_BlockEqualToItsRegionModuloIndentation_Passes()
    {
        SnippetSource source = SnippetSource.Parse("tests/DocSnippets/X.cs", """
            class X
            {
                void M()
                {
                    // snippet: both
                    int a = 1;
                    if (a > 0)
                    {
                        a++;
                    }
                    // end snippet: both
                }
            }
            """);
        CodeBlock block = Block("DocSnippets/X.cs#both", "int a = 1;", "if (a > 0)", "{", "    a++;", "}");

        Assert.Empty(SnippetChecker.Check([block], _ => source));
    }

    [Fact]
    public void Check_BlockThatChangedOneLine_IsReportedWithTheLine()
    {
        SnippetSource source = SnippetSource.Parse("tests/DocSnippets/X.cs", """
            // snippet: two
            int a = 1;
            int b = 2;
            // end snippet: two
            """);
        CodeBlock block = Block("DocSnippets/X.cs#two", "int a = 1;", "int b = 3;");

        string problem = Assert.Single(SnippetChecker.Check([block], _ => source));

        Assert.Contains("line 2 of the block is \"int b = 3;\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BlockWithChangedRelativeIndentation_IsReported()
    {
        SnippetSource source = SnippetSource.Parse("samples/S/S.cs", """
            if (ready)
            {
                Go();
            }
            """);
        CodeBlock block = Block("samples/S/S.cs", "if (ready)", "{", "Go();", "}");

        Assert.Single(SnippetChecker.Check([block], _ => source));
    }

    [Fact]
    public void Check_BlockWithoutMarkerOrWithUnknownRegion_IsReported()
    {
        SnippetSource source = SnippetSource.Parse("tests/DocSnippets/X.cs", "int a = 1;");
        CodeBlock unmarked = Block(null, "int a = 1;");
        CodeBlock unknownRegion = Block("DocSnippets/X.cs#missing", "int a = 1;");

        IReadOnlyList<string> problems = SnippetChecker.Check([unmarked, unknownRegion], _ => source);

        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Check_BlockThatIsARunOfTheFile_PassesAndABlockThatIsNot_IsReported()
    {
        SnippetSource source = SnippetSource.Parse("samples/S/S.cs", """
            class S
            {
                void M()
                {
                    First();
                    Second();
                    Third();
                }
            }
            """);

        Assert.Empty(SnippetChecker.Check([Block("samples/S/S.cs", "Second();", "Third();")], _ => source));
        Assert.Single(SnippetChecker.Check([Block("samples/S/S.cs", "First();", "Third();")], _ => source));
    }

    [Fact]
    public void Markdown_FindsIndentedBlocksAndTheirMarkers()
    {
        const string Page = """
            - a list item:

              <!-- snippet: DocSnippets/X.cs#a -->
              ```csharp
              int a = 1;
              ```

            ```sh
            dotnet test
            ```
            """;

        IReadOnlyList<CodeBlock> blocks = Markdown.CodeBlocks("page.md", Page);

        Assert.Equal(2, blocks.Count);
        Assert.Equal("DocSnippets/X.cs#a", blocks[0].Marker);
        Assert.Equal(["int a = 1;"], blocks[0].Lines);
        Assert.Null(blocks[1].Marker);
    }

    private static CodeBlock Block(string? marker, params string[] lines) => new("page.md", 1, "csharp", lines, marker);

    private static SnippetSource? LoadIfExists(string path) =>
        File.Exists(Repository.PathOf(path)) ? SnippetSource.Load(path) : null;
}
