namespace Callback.Domain.Cases;

/// <summary>The lifecycle, as the rest of the application may see it.</summary>
public static class CaseLifecycle
{
    /// <summary>The state diagram in Mermaid, generated from the machine every case uses.</summary>
    public static string MermaidDiagram() => Case.LifecycleDiagram();
}
