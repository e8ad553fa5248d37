namespace Callback.Web.Localization;

/// <summary>The marker type of the UI's strings: Text.resx (French, the default) and Text.en.resx.</summary>
public sealed class Text;
