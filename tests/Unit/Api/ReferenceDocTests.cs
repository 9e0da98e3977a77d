using Xunit;

namespace Stm.Tests.Unit.Api;

/// <summary>
/// docs/reference.md lists the public surface exactly as the PublicAPI files record it (which the
/// build checks against the assemblies), so the page cannot fall out of step with the code.
/// </summary>
public sealed class ReferenceDocTests
{
    [Theory]
    [InlineData("src/Stm/PublicAPI.Unshipped.txt")]
    [InlineData("src/Stm.Collections/PublicAPI.Unshipped.txt")]
    public void ReferencePage_ListsEveryPublicMemberOfTheAssembly(string publicApiFile)
    {
        string root = RepositoryRoot();
        HashSet<string> listed = [.. File.ReadAllLines(Path.Combine(root, "docs", "reference.md"))];

        string[] missing = [.. File.ReadAllLines(Path.Combine(root, publicApiFile))
            .Where(static line => line.Length != 0 && !line.StartsWith('#'))
            .Where(line => !listed.Contains(line))];

        Assert.True(missing.Length == 0, $"docs/reference.md lacks {missing.Length} member(s) of {publicApiFile}:\n{string.Join("\n", missing)}");
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Stm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Stm.sln not found above the test's output folder.");
    }
}
