namespace Callback.Web.Localization;

/// <summary>The intake API's problem titles and details: ApiText.resx (French, the default) and ApiText.en.resx; the language follows Accept-Language.</summary>
public sealed class ApiText;
