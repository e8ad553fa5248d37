using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Callback.Web.Features.Supervision;

/// <summary>An SVG text label. Razor reserves the &lt;text&gt; tag for its own use, so the element is written by the builder.</summary>
public sealed class SvgLabel : ComponentBase
{
    [Parameter]
    public double X { get; set; }

    [Parameter]
    public double Y { get; set; }

    [Parameter]
    public string Text { get; set; } = "";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.OpenElement(0, "text");
        builder.AddAttribute(1, "x", X.ToString("0.#", CultureInfo.InvariantCulture));
        builder.AddAttribute(2, "y", Y.ToString("0.#", CultureInfo.InvariantCulture));
        builder.AddAttribute(3, "font-size", "10");
        builder.AddAttribute(4, "text-anchor", "middle");
        builder.AddAttribute(5, "fill", "#424242");
        builder.AddContent(6, Text);
        builder.CloseElement();
    }
}
