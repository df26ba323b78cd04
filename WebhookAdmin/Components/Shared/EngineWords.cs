using System.Globalization;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Components.Shared;

/// <summary>
/// The engine's reasons (attempt errors, a delivery's last error, why a webhook is off, a failed check) as the person
/// reading the page should see them: in their language when the row has the reason's parts, else the stored English
/// sentence (rows written before reasons had parts). Every page that shows one of these goes through here.
/// </summary>
public static class EngineWords
{
    public static string? For(string? text, PlainReason? reason) => ReasonText.For(text, reason, CultureInfo.CurrentUICulture);
}
