using System.Globalization;
using System.Xml;

namespace WebhookAdmin.Features.Common;

/// <summary>
/// Reads durations the way people write them: <c>24:00:00</c> (hours may pass 23), <c>1.00:00:00</c>,
/// or ISO 8601 <c>PT24H</c>. <see cref="TimeSpan.Parse(string)"/> reads "24:00:00" as 24 days, hence this.
/// </summary>
public static class DurationParser
{
    // An int holds eight times the hours a TimeSpan does: past this, TimeSpan.FromHours threw instead of answering false.
    private static readonly int MaxHours = (int)TimeSpan.MaxValue.TotalHours;

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();

        if (text.StartsWith('P') || text.StartsWith('-'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                // XmlConvert throws OverflowException for a well-formed duration past TimeSpan.MaxValue.
                return false;
            }
        }

        var parts = text.Split(':');
        if (parts.Length == 3 && !parts[0].Contains('.') &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && hours < MaxHours &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes < 60 &&
            double.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds < 60)
        {
            duration = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
            return true;
        }
        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration);
    }
}
