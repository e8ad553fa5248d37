namespace Callback.Web.Localization;

/// <summary>Marker for the import page, the manual entry form and the API keys page (IntakeText.resx: French, IntakeText.en.resx: English).</summary>
public sealed class IntakeText;
