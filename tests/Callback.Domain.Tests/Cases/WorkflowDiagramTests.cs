using Callback.Domain.Cases;

namespace Callback.Domain.Tests.Cases;

public class WorkflowDiagramTests
{
    [Theory]
    [InlineData("docs/workflow.md")]
    [InlineData("README.md")]
    public void CommittedDiagram_MatchesTheMachineInTheCode(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), file)).ReplaceLineEndings("\n");
        var expected = $"<!-- workflow-diagram:begin -->\n```mermaid\n{CaseLifecycle.MermaidDiagram()}```\n<!-- workflow-diagram:end -->";

        Assert.True(text.Contains(expected, StringComparison.Ordinal),
            $"{file} does not carry the diagram the code generates. Run: dotnet run --project src/Callback.Web -- workflow diagram --write");
    }

    [Fact]
    public void Diagram_ShowsEveryStateAndTrigger()
    {
        var diagram = CaseLifecycle.MermaidDiagram();

        Assert.All(Enum.GetNames<CaseState>(), s => Assert.Contains(s, diagram));
        Assert.All(Enum.GetNames<CaseTrigger>(), t => Assert.Contains(t, diagram));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Callback.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Callback.sln not found above the test binaries.");
    }
}
