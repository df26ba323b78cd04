using System.Text.Json;

namespace WebhookAdmin.Features.Events.Pages;

/// <summary>
/// What the simulator's JSON boxes hold: nothing (no value, as a created record has no previous value),
/// a JSON value, or text that is not JSON, with where the first mistake is (1-based, as editors count).
/// </summary>
public abstract record SimulatorJson
{
    public sealed record Empty : SimulatorJson;
    public sealed record Valid(JsonElement Value) : SimulatorJson;
    public sealed record Invalid(long Line, long Position) : SimulatorJson;

    public static SimulatorJson Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new Empty();
        try
        {
            using var document = JsonDocument.Parse(text);
            return new Valid(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            return new Invalid((e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1);
        }
    }

    /// <summary>The value to publish: null when empty (or not valid, which the page refuses before publishing).</summary>
    public JsonElement? Element => this is Valid valid ? valid.Value : null;

    /// <summary>A sample value as the text box shows it: indented, one property a line.</summary>
    public static string Format(System.Text.Json.Nodes.JsonNode? value) =>
        value?.ToJsonString(Deliveries.Pages.DeliveryDetail.Indented) ?? "";
}
