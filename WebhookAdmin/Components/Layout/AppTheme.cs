using MudBlazor;

namespace WebhookAdmin.Components.Layout;

/// <summary>The one theme of the app: a calm blue with clear status colours, light and dark, system fonts (no web fonts: no network).</summary>
public static class AppTheme
{
    private static readonly string[] Fonts = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2457c5",
            Secondary = "#0f8b8d",
            Tertiary = "#6b4fbb",
            // Dark enough for small text on white and on their own tinted chips and alerts (WCAG AA 4.5:1, checked by axe).
            Info = "#1565c0",
            Success = "#2a7230",
            Warning = "#9a5b00",
            Error = "#c62828",
            AppbarBackground = "#1d3f8f",
            AppbarText = "#ffffff",
            Background = "#f5f7fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#24324a",
            DrawerIcon = "#2457c5",
            TextPrimary = "#1b2333",
            TextSecondary = "#5a6478",
            LinesDefault = "#e2e6ee",
            TableLines = "#e8ebf2",
            Divider = "#e2e6ee",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8fb0ff",
            PrimaryContrastText = "#0b1530",
            Secondary = "#4fd1c5",
            SecondaryContrastText = "#062623",
            Tertiary = "#b69cff",
            Info = "#64b5f6",
            Success = "#66bb6a",
            SuccessContrastText = "#08210c",
            Warning = "#ffb74d",
            WarningContrastText = "#2b1a00",
            Error = "#ef6f6c",
            ErrorContrastText = "#2a0606",
            InfoContrastText = "#04213a",
            AppbarBackground = "#171c26",
            AppbarText = "#e8ecf4",
            Background = "#10141b",
            Surface = "#1a202b",
            DrawerBackground = "#151a23",
            DrawerText = "#d5dbe7",
            DrawerIcon = "#8fb0ff",
            TextPrimary = "#e8ecf4",
            TextSecondary = "#a3adc2",
            LinesDefault = "#2b3342",
            TableLines = "#2b3342",
            Divider = "#2b3342",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            H4 = new H4Typography { FontFamily = Fonts, FontSize = "1.75rem", FontWeight = "600" },
            H5 = new H5Typography { FontFamily = Fonts, FontSize = "1.35rem", FontWeight = "600" },
            H6 = new H6Typography { FontFamily = Fonts, FontSize = "1.1rem", FontWeight = "600" },
            Button = new ButtonTypography { FontFamily = Fonts, TextTransform = "none", FontWeight = "600" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px", DrawerWidthLeft = "232px" },
    };

    /// <summary>Chart colours in the order series are declared: delivered, failed, waiting.</summary>
    public static readonly string[] OutcomePalette = ["#2e9d5b", "#d64545", "#e0a100"];
}
