namespace DocSnippets.Checking;

/// <summary>
/// Checks a page's ```csharp blocks against the compiled code they come from. Every block needs a
/// marker on the line above it, <c>&lt;!-- snippet: SOURCE#REGION --&gt;</c> or
/// <c>&lt;!-- snippet: SOURCE --&gt;</c>. SOURCE is a path from the repository root, except that
/// <c>DocSnippets/...</c> means <c>tests/DocSnippets/...</c>. With a region the block must be exactly
/// the region's lines; without one it must be a run of consecutive lines of the file. Both compare
/// modulo indentation: the common leading whitespace of each side is removed, and trailing
/// whitespace is ignored.
/// </summary>
internal static class SnippetChecker
{
    /// <summary>What is wrong with the ```csharp blocks of <paramref name="blocks"/>; empty when all is well.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<CodeBlock> blocks, Func<string, SnippetSource?> loadSource)
    {
        var problems = new List<string>();
        foreach (CodeBlock block in blocks.Where(static b => IsCSharp(b.Language)))
        {
            string where = $"{block.Page}:{block.Line}";
            if (block.Marker is null)
            {
                problems.Add($"{where}: a csharp block without a '<!-- snippet: FILE#REGION -->' marker above it");
                continue;
            }

            string[] parts = block.Marker.Split('#', 2);
            string sourcePath = SourcePath(parts[0]);
            SnippetSource? source = loadSource(sourcePath);
            if (source is null)
            {
                problems.Add($"{where}: the marker names '{sourcePath}', which does not exist");
                continue;
            }

            IReadOnlyList<string> shown = Normalize(block.Lines);
            if (parts.Length == 2)
            {
                IReadOnlyList<string>? region = source.Region(parts[1]);
                if (region is null)
                {
                    problems.Add($"{where}: '{sourcePath}' has no region '{parts[1]}' (it has: {string.Join(", ", source.RegionNames)})");
                }
                else if (FirstDifference(shown, Normalize(region)) is { } difference)
                {
                    problems.Add($"{where}: the block differs from {sourcePath}#{parts[1]}: {difference}");
                }
            }
            else if (!ContainsRun(source.Lines, shown))
            {
                problems.Add($"{where}: the block is not a run of consecutive lines of {sourcePath} (modulo indentation)");
            }
        }

        return problems;
    }

    /// <summary>The repository path a marker's SOURCE names.</summary>
    public static string SourcePath(string marker) =>
        marker.StartsWith("DocSnippets/", StringComparison.Ordinal) ? "tests/" + marker : marker;

    /// <summary>Trailing whitespace and leading or trailing blank lines removed, then the common indentation.</summary>
    public static IReadOnlyList<string> Normalize(IReadOnlyList<string> lines)
    {
        var trimmed = lines.Select(static l => l.TrimEnd()).ToList();
        while (trimmed.Count > 0 && trimmed[0].Length == 0)
        {
            trimmed.RemoveAt(0);
        }

        while (trimmed.Count > 0 && trimmed[^1].Length == 0)
        {
            trimmed.RemoveAt(trimmed.Count - 1);
        }

        int indent = trimmed.Where(static l => l.Length > 0)
            .Select(static l => l.Length - l.TrimStart().Length)
            .DefaultIfEmpty(0)
            .Min();
        return trimmed.Select(l => l.Length == 0 ? l : l[indent..]).ToList();
    }

    private static bool IsCSharp(string language) =>
        language is "csharp" or "cs" or "c#" or "C#";

    private static bool ContainsRun(IReadOnlyList<string> fileLines, IReadOnlyList<string> shown)
    {
        if (shown.Count == 0)
        {
            return false;
        }

        string first = shown[0].Trim();
        for (int start = 0; start + shown.Count <= fileLines.Count; start++)
        {
            if (fileLines[start].Trim() != first)
            {
                continue;
            }

            var window = new List<string>(shown.Count);
            for (int i = 0; i < shown.Count; i++)
            {
                window.Add(fileLines[start + i]);
            }

            if (FirstDifference(shown, Normalize(window)) is null)
            {
                return true;
            }
        }

        return false;
    }

    private static string? FirstDifference(IReadOnlyList<string> shown, IReadOnlyList<string> source)
    {
        for (int i = 0; i < Math.Min(shown.Count, source.Count); i++)
        {
            if (!string.Equals(shown[i], source[i], StringComparison.Ordinal))
            {
                return $"line {i + 1} of the block is \"{shown[i]}\", the source has \"{source[i]}\"";
            }
        }

        return shown.Count == source.Count
            ? null
            : $"the block has {shown.Count} lines, the source {source.Count}";
    }
}
