namespace WebhookAdmin.Components.Shared;

/// <summary>
/// The person's display choices for this circuit: light or dark, and their time zone (times are stored in UTC).
/// Routes fills it from cookies App.razor read on the first request; the layout keeps the cookies current.
/// </summary>
public sealed class UserPreferences
{
    public const string ThemeCookie = "wha-theme";
    public const string TimeZoneCookie = "wha-tz";

    public bool DarkMode { get; set; }
    public TimeZoneInfo TimeZone { get; private set; } = TimeZoneInfo.Utc;

    public event Action? Changed;

    public bool TrySetTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id == TimeZone.Id) return false;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return false;
        TimeZone = zone;
        return true;
    }

    public void NotifyChanged() => Changed?.Invoke();

    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone);
}
