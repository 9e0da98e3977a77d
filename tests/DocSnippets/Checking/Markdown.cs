using System.Text.RegularExpressions;

namespace DocSnippets.Checking;

/// <summary>Just enough Markdown for the checks: fenced code blocks, snippet markers, links and headings.</summary>
internal static partial class Markdown
{
    /// <summary>The fenced code blocks of <paramref name="text"/>, each with the snippet marker above it, if any.</summary>
    public static IReadOnlyList<CodeBlock> CodeBlocks(string page, string text)
    {
        string[] lines = SplitLines(text);
        var blocks = new List<CodeBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            Match open = FenceOpen().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            int indent = open.Groups["indent"].Length;
            string fence = open.Groups["fence"].Value;
            string language = open.Groups["info"].Value.Trim();
            var content = new List<string>();
            int close = i + 1;
            while (close < lines.Length && !IsFenceClose(lines[close], fence))
            {
                content.Add(RemoveIndent(lines[close], indent));
                close++;
            }

            blocks.Add(new CodeBlock(page, i + 1, language, content, MarkerAbove(lines, i)));
            i = close;
        }

        return blocks;
    }

    /// <summary>
    /// The links of <paramref name="text"/> outside code: inline <c>[text](target)</c> links and images,
    /// and reference definitions <c>[label]: target</c>. Returns each target with its 1-based line.
    /// </summary>
    public static IReadOnlyList<(int Line, string Target)> Links(string text)
    {
        var links = new List<(int, string)>();
        string[] lines = SplitLines(text);
        bool inFence = false;
        string fence = "";
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (inFence)
            {
                inFence = !IsFenceClose(line, fence);
                continue;
            }

            if (FenceOpen().Match(line) is { Success: true } open)
            {
                inFence = true;
                fence = open.Groups["fence"].Value;
                continue;
            }

            string prose = InlineCode().Replace(line, "");
            foreach (Match link in InlineLink().Matches(prose))
            {
                links.Add((i + 1, link.Groups["target"].Value));
            }

            if (ReferenceDefinition().Match(prose) is { Success: true } definition)
            {
                links.Add((i + 1, definition.Groups["target"].Value));
            }
        }

        return links;
    }

    /// <summary>The anchors GitHub makes for the headings of <paramref name="text"/> (outside code).</summary>
    public static IReadOnlySet<string> HeadingAnchors(string text)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool inFence = false;
        string fence = "";
        foreach (string line in SplitLines(text))
        {
            if (inFence)
            {
                inFence = !IsFenceClose(line, fence);
                continue;
            }

            if (FenceOpen().Match(line) is { Success: true } open)
            {
                inFence = true;
                fence = open.Groups["fence"].Value;
                continue;
            }

            if (Heading().Match(line) is { Success: true } heading)
            {
                string slug = Slug(heading.Groups["title"].Value);
                int count = seen.GetValueOrDefault(slug);
                seen[slug] = count + 1;
                anchors.Add(count == 0 ? slug : $"{slug}-{count}");
            }
        }

        return anchors;
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces turned into hyphens.</summary>
    public static string Slug(string title)
    {
        string plain = MarkdownLink().Replace(title.Trim(), "${text}");
        var slug = new System.Text.StringBuilder(plain.Length);
        foreach (char c in plain.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    internal static string[] SplitLines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    private static string? MarkerAbove(string[] lines, int fenceLine)
    {
        for (int i = fenceLine - 1; i >= 0; i--)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            Match marker = SnippetMarker().Match(lines[i]);
            return marker.Success ? marker.Groups["source"].Value : null;
        }

        return null;
    }

    private static bool IsFenceClose(string line, string fence)
    {
        string trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]);
    }

    private static string RemoveIndent(string line, int indent)
    {
        int remove = 0;
        while (remove < indent && remove < line.Length && line[remove] == ' ')
        {
            remove++;
        }

        return line[remove..];
    }

    [GeneratedRegex(@"^(?<indent> {0,12})(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex FenceOpen();

    [GeneratedRegex(@"^\s*<!--\s*snippet:\s*(?<source>\S+)\s*-->\s*$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();
}
