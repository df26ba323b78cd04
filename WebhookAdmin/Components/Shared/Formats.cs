using System.Globalization;
using Microsoft.Extensions.Localization;
using WebhookAdmin.Resources;

namespace WebhookAdmin.Components.Shared;

/// <summary>How figures read on screen, in the current culture: "5 min ago", "1.2 s", "97.5 %", "3 h 10 min".</summary>
public static class Formats
{
    public static string Ago(this IStringLocalizer<UiText> L, DateTime? utc, DateTime nowUtc)
    {
        if (utc is not { } at) return L["Common.Never"];
        var age = nowUtc - at;
        if (age < TimeSpan.FromSeconds(5)) return L["Common.JustNow"];
        if (age < TimeSpan.FromMinutes(1)) return L["Common.SecondsAgo", (int)age.TotalSeconds];
        if (age < TimeSpan.FromHours(1)) return L["Common.MinutesAgo", (int)age.TotalMinutes];
        if (age < TimeSpan.FromDays(1)) return L["Common.HoursAgo", (int)age.TotalHours];
        return L["Common.DaysAgo", (int)age.TotalDays];
    }

    /// <summary>A length of time in the two largest units: "45 s", "12 min", "3 h 10 min", "2 d 4 h".</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span < TimeSpan.FromMinutes(1)) return $"{(int)span.TotalSeconds} s";
        if (span < TimeSpan.FromHours(1)) return $"{(int)span.TotalMinutes} min";
        if (span < TimeSpan.FromDays(1)) return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
        return span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h";
    }

    public static string Milliseconds(double? ms) => ms switch
    {
        null => "—",
        < 1 => "< 1 ms",
        < 1000 => string.Create(CultureInfo.CurrentCulture, $"{ms.Value:0} ms"),
        _ => string.Create(CultureInfo.CurrentCulture, $"{ms.Value / 1000:0.0} s"),
    };

    public static string Percent(double? value) =>
        value is { } v ? string.Create(CultureInfo.CurrentCulture, $"{v:0.#} %") : "—";

    public static string Count(int value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>A size in the largest binary unit that keeps it above one: "512 KB", "1.4 GB".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.CurrentCulture, $"{bytes:N0} {units[0]}")
            : string.Create(CultureInfo.CurrentCulture, $"{value:0.#} {units[unit]}");
    }

    /// <summary>A moment in the person's time zone, in their culture's short date and time.</summary>
    public static string Local(this UserPreferences preferences, DateTime utc) =>
        preferences.ToLocal(utc).ToString("g", CultureInfo.CurrentCulture);
}
