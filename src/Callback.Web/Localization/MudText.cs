using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Callback.Web.Localization;

/// <summary>
/// The marker type of MudBlazor's own words (a date picker's "Open", a pager's "Next page", an alert's "Close"):
/// MudText.resx (French) and MudText.en.resx (MudBlazor's English), keyed as MudBlazor names them.
/// </summary>
public sealed class MudText;

/// <summary>
/// Gives MudBlazor's components their words in the page's language: without it a French page carries English
/// labels for screen readers (the audit page's date pickers said "Open"). A key missing here falls back to MudBlazor's
/// English, and <c>ResourcePairsTests</c> keeps the two files together.
/// </summary>
public sealed class CallbackMudLocalizer(IStringLocalizer<MudText> text) : MudLocalizer
{
    public override LocalizedString this[string key] => text[key];

    public override LocalizedString this[string key, params object[] arguments] => text[key, arguments];
}
