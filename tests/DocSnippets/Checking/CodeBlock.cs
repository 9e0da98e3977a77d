namespace DocSnippets.Checking;

/// <summary>
/// A fenced code block of a Markdown page.
/// </summary>
/// <param name="Page">The page, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Language">The info string after the fence (<c>csharp</c>, <c>sh</c>, ...), or empty.</param>
/// <param name="Lines">The block's lines, without the fences and without the fence's own indentation.</param>
/// <param name="Marker">What the <c>&lt;!-- snippet: ... --&gt;</c> comment just above the block names, or null.</param>
internal sealed record CodeBlock(string Page, int Line, string Language, IReadOnlyList<string> Lines, string? Marker);
