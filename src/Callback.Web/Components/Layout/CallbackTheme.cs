using MudBlazor;

namespace Callback.Web.Components.Layout;

/// <summary>A calm palette; contrast ratios checked against WCAG 2.1 AA (RGAA).</summary>
public static class CallbackTheme
{
    public const string OrangeTier = "#b45309";
    public const string BlueTier = "#1d4ed8";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1e3a5f",
            Secondary = "#475569",
            Error = "#b91c1c",
            Warning = "#92400e",
            Success = "#166534",
            Info = "#1d4ed8",
            AppbarBackground = "#1e3a5f",
            Background = "#f8fafc",
            TextSecondary = "#475569",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Arial", "sans-serif"] },
        },
    };

    /// <summary>
    /// Toasts ("Enregistré.") drawn at full strength at once. MudBlazor's defaults fade a toast in over a second, up to 95 %
    /// opacity: while it fades its white text blends with the page behind and falls under 4.5:1 (axe color-contrast on
    /// .mud-snackbar-content-message), just when the user reads it. Opaque, the filled colours above give 6.5:1 or more.
    /// </summary>
    public static void Snackbars(SnackbarConfiguration snackbars)
    {
        ArgumentNullException.ThrowIfNull(snackbars);
        snackbars.MaximumOpacity = 100;
        snackbars.ShowTransitionDuration = 0;
        snackbars.HideTransitionDuration = 200;
    }
}
