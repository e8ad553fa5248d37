using Callback.Domain.Cases;
using Callback.Web.Features.Cases;
using Microsoft.AspNetCore.Components;

namespace Callback.Web.Components.Tests;

/// <summary>
/// A keyboard user on the call panel: the outcome button pressed disappears with the press, so the panel must put the
/// focus somewhere on purpose (issue 16.5: after "Victime jointe" it fell to &lt;body&gt;).
/// </summary>
public sealed class CallPanelFocusTests : CallbackComponentTest
{
    private static string ReferenceOf(JSRuntimeInvocation focus) => Assert.IsType<ElementReference>(focus.Arguments[0]).Id;

    [Fact]
    public void VictimReached_MovesTheFocusToTheQuestionnaire_AndCancel_BackToTheButton()
    {
        var panel = Render<CallPanel>(p => p.Add(x => x.Model, ContextFor(CaseIn(CaseState.AwaitingContact), Officer)));
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier.Contains("focus", StringComparison.OrdinalIgnoreCase));

        panel.Find("[data-testid=outcome-Reached]").Click();

        var start = panel.Find("[data-testid=contact-start]");
        Assert.Equal("-1", start.GetAttribute("tabindex"));
        Assert.Equal("Victime jointe", start.GetAttribute("aria-label"));
        Assert.Equal(start.GetAttribute("blazor:elementReference"), ReferenceOf(JSInterop.VerifyFocusAsyncInvoke()));

        panel.FindAll("[data-testid=contact-form] button").Single(b => b.TextContent.Trim() == "Annuler").Click();
        var focused = JSInterop.VerifyFocusAsyncInvoke(2)[1];
        Assert.Equal(panel.Find("[data-testid=outcome-Reached]").GetAttribute("blazor:elementReference"), ReferenceOf(focused));
    }
}
