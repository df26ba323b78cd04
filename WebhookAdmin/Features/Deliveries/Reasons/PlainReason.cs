using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebhookAdmin.Features.Deliveries.Reasons;

/// <summary>
/// Why an attempt failed, a claim was handed back or a webhook was turned off, kept as its parts (a code, the
/// facts it names, what caused it) instead of a sentence, so that every reader gets it in their own language
/// (<see cref="ReasonText"/>). The English sentence is still stored beside it, because API clients read that.
/// Made by <see cref="Because"/>.
/// </summary>
public sealed record PlainReason(string Code, IReadOnlyDictionary<string, string> Args, PlainReason? Cause = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The words API clients read and the text columns keep (<c>Error</c>, <c>LastError</c>, <c>DisabledReason</c>).</summary>
    public string English() => ReasonText.English(this);

    /// <summary>The compact form the reason columns keep, e.g. <c>{"code":"TimedOut","args":{"timeout":"7000"}}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Null for text this version cannot read: the page then shows the stored English sentence.</summary>
    public static PlainReason? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            return JsonSerializer.Deserialize<PlainReason>(json, Json) is { Code: not null } reason ? Complete(reason) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The column mapping of every reason property (EF skips nulls, so the lambdas never see one).</summary>
    public static readonly ValueConverter<PlainReason?, string?> Column = new(r => r!.ToJson(), s => FromJson(s));

    // JSON written by hand (or by a later version) may leave out the arguments.
    private static PlainReason Complete(PlainReason reason) => reason with
    {
        Args = reason.Args ?? new Dictionary<string, string>(),
        Cause = reason.Cause is null ? null : Complete(reason.Cause),
    };
}
