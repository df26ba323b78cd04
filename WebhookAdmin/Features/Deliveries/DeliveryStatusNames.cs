using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebhookAdmin.Features.Deliveries;

/// <summary>The lowercase names the contract uses (<c>pending</c>, <c>held</c>…), in the database and on the wire.</summary>
public static class DeliveryStatusNames
{
    public const string Pending = "pending";
    public const string Delivering = "delivering";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Held = "held";
    public const string Skipped = "skipped";

    public static string ToName(this DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => Pending,
        DeliveryStatus.Delivering => Delivering,
        DeliveryStatus.Delivered => Delivered,
        DeliveryStatus.Failed => Failed,
        DeliveryStatus.Held => Held,
        DeliveryStatus.Skipped => Skipped,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? name, out DeliveryStatus status)
    {
        foreach (var candidate in Enum.GetValues<DeliveryStatus>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    public static string[] All { get; } = Enum.GetValues<DeliveryStatus>().Select(s => s.ToName()).ToArray();

    internal static readonly ValueConverter<DeliveryStatus, string> Converter = new(
        status => status.ToName(),
        name => Parse(name));

    private static DeliveryStatus Parse(string name) =>
        TryParse(name, out var status) ? status : throw new InvalidOperationException($"Unknown delivery status '{name}'.");
}
