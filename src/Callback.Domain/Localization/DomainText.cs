using System.Globalization;
using System.Resources;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Domain.Content;

namespace Callback.Domain.Localization;

/// <summary>
/// The messages the domain shows to people: refusals of the case rules and reasons of the intake checks.
/// DomainText.resx is English, the neutral language, so the command line, the logs and the tests under the invariant
/// culture read English; DomainText.fr.resx is French. A message is written in the current UI culture when it is made:
/// a Blazor circuit and an HTTP request run under the request's culture, so the user reads it in the language they chose.
/// Audit records never go through here: they are stable English records.
/// </summary>
public static class DomainText
{
    private static readonly ResourceManager Resources = new("Callback.Domain.Localization.DomainText", typeof(DomainText).Assembly);

    /// <summary>The text of <paramref name="key"/> in the current UI culture.</summary>
    public static string Get(string key) => GetIn(CultureInfo.CurrentUICulture, key);

    /// <summary>The text of <paramref name="key"/> in <paramref name="culture"/>.</summary>
    public static string GetIn(CultureInfo culture, string key) =>
        Resources.GetString(key, culture) ?? throw new InvalidOperationException($"DomainText has no text \"{key}\".");

    /// <summary>The text of <paramref name="key"/> in the current UI culture, its placeholders filled in that culture.</summary>
    public static string Format(string key, params object?[] args) => FormatIn(CultureInfo.CurrentUICulture, key, args);

    /// <summary>The text of <paramref name="key"/> in <paramref name="culture"/>, its placeholders filled in that culture.</summary>
    public static string FormatIn(CultureInfo culture, string key, params object?[] args) =>
        string.Format(culture, GetIn(culture, key), args);

    internal static string State(CaseState state) => Get($"State.{state}");

    internal static string Trigger(CaseTrigger trigger) => Get($"Trigger.{trigger}");

    internal static string Danger(DangerLevel level) => Get($"Danger.{level}");

    internal static string Outcome(AttemptOutcome outcome) => Get($"Outcome.{outcome}");

    /// <summary>A shipped text in the UI language: French for French, English otherwise (English is the neutral language here).</summary>
    internal static string Of(LocalizedText text) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr" ? text.Fr : text.En;
}
