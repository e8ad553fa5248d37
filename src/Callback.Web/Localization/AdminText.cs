namespace Callback.Web.Localization;

/// <summary>The marker type of the administration screens' strings (units, users, first start): AdminText.resx (French, the default) and AdminText.en.resx.</summary>
public sealed class AdminText;
