namespace Callback.Web.Localization;

/// <summary>The marker type of the security screens' strings: SecurityText.resx (French, the default) and SecurityText.en.resx.</summary>
public sealed class SecurityText;
