using System.Text.RegularExpressions;

namespace DocSnippets.Checking;

/// <summary>
/// A source file that pages quote: its lines, and its named regions, each between
/// <c>// snippet: name</c> and <c>// end snippet: name</c> (regions may nest; marker lines are never
/// part of what a page shows).
/// </summary>
internal sealed partial class SnippetSource
{
    private readonly Dictionary<string, List<string>> _regions = new(StringComparer.Ordinal);

    private SnippetSource(string path, string text)
    {
        Path = path;
        var lines = new List<string>();
        var open = new List<(string Name, List<string> Lines)>();
        int number = 0;
        foreach (string line in Markdown.SplitLines(text))
        {
            number++;
            if (RegionStart().Match(line) is { Success: true } start)
            {
                string name = start.Groups["name"].Value;
                if (_regions.ContainsKey(name) || open.Exists(r => r.Name == name))
                {
                    Errors.Add($"{path}:{number}: a second region named '{name}'");
                }

                open.Add((name, []));
                continue;
            }

            if (RegionEnd().Match(line) is { Success: true } end)
            {
                string name = end.Groups["name"].Value;
                int index = open.FindLastIndex(r => r.Name == name);
                if (index < 0)
                {
                    Errors.Add($"{path}:{number}: 'end snippet: {name}' without its start");
                    continue;
                }

                if (index != open.Count - 1)
                {
                    Errors.Add($"{path}:{number}: region '{name}' ends before the regions opened inside it");
                }

                _regions[name] = open[index].Lines;
                open.RemoveAt(index);
                continue;
            }

            lines.Add(line);
            foreach ((_, List<string> regionLines) in open)
            {
                regionLines.Add(line);
            }
        }

        foreach ((string name, _) in open)
        {
            Errors.Add($"{path}: region '{name}' is never ended");
        }

        Lines = lines;
    }

    /// <summary>The file, relative to the repository root.</summary>
    public string Path { get; }

    /// <summary>The file's lines without the region markers.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>Malformed regions: a repeated name, an end without a start, a start without an end.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>The names of the regions.</summary>
    public IEnumerable<string> RegionNames => _regions.Keys;

    /// <summary>Reads <paramref name="relativePath"/> from the repository.</summary>
    public static SnippetSource Load(string relativePath) => new(relativePath, Repository.Read(relativePath));

    /// <summary>Parses <paramref name="text"/> as the file <paramref name="path"/> (for the checker's own tests).</summary>
    public static SnippetSource Parse(string path, string text) => new(path, text);

    /// <summary>The lines of region <paramref name="name"/> (without nested markers), or null.</summary>
    public IReadOnlyList<string>? Region(string name) => _regions.GetValueOrDefault(name);

    [GeneratedRegex(@"^\s*// snippet: (?<name>[A-Za-z0-9_.-]+)\s*$")]
    private static partial Regex RegionStart();

    [GeneratedRegex(@"^\s*// end snippet: (?<name>[A-Za-z0-9_.-]+)\s*$")]
    private static partial Regex RegionEnd();
}
