using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Stm.Analyzers;
using Xunit;

namespace Stm.Tests.Analyzers;

public sealed class RuleDocumentationTests
{
    public static TheoryData<string> RuleIds => new(AllDescriptors().Select(d => d.Id));

    [Fact]
    public void EveryAnalyzer_ReportsRulesWithDistinctIds()
    {
        ImmutableArray<DiagnosticDescriptor> descriptors = AllDescriptors();

        Assert.Equal(5, descriptors.Length);
        Assert.Equal(descriptors.Length, descriptors.Select(d => d.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void HelpLink_IsTheRulesPageInTheRepository(string id)
    {
        DiagnosticDescriptor descriptor = AllDescriptors().Single(d => d.Id == id);
        string page = Path.Combine(RepositoryRoot(), descriptor.HelpLinkUri);

        Assert.Equal($"docs/analyzers/{id}.md", descriptor.HelpLinkUri);
        Assert.True(File.Exists(page), $"{page} is missing");
        Assert.StartsWith($"# {id}: {descriptor.Title}", File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void RuleIndex_ListsTheRule(string id)
    {
        string index = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "analyzers", "README.md"));

        Assert.Contains($"[{id}]({id}.md)", index, StringComparison.Ordinal);
    }

    private static ImmutableArray<DiagnosticDescriptor> AllDescriptors() =>
        typeof(StmDiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();

    // The test runs from bin/<configuration>/<framework>/ somewhere below the repository root.
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Stm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Stm.sln above " + AppContext.BaseDirectory);
    }
}
