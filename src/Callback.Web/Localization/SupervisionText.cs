namespace Callback.Web.Localization;

/// <summary>Marker for the dispatch board and supervision strings (SupervisionText.resx: French, SupervisionText.en.resx: English).</summary>
public sealed class SupervisionText;
