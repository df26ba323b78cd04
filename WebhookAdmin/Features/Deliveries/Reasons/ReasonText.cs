using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using WebhookAdmin.Resources;

namespace WebhookAdmin.Features.Deliveries.Reasons;

/// <summary>
/// Puts a <see cref="PlainReason"/> into words in a given language, from the app's texts (<c>Reason.{Code}</c> in
/// UiText.resx and UiText.pt-BR.resx, with <c>{name}</c> placeholders for its arguments and <c>{cause}</c> for its
/// cause). English gives the API's sentence byte for byte, which is why the engine stores exactly that. Pages use
/// the reader's culture (<c>Components/Shared/EngineWords</c>); an email can pass its recipient's.
/// </summary>
public static partial class ReasonText
{
    public static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo("en");

    // The same resources IStringLocalizer<UiText> reads, asked for a culture explicitly.
    private static readonly ResourceManager Texts = new(typeof(UiText).FullName!, typeof(UiText).Assembly);

    public static string English(PlainReason reason) =>
        Render(reason, EnglishCulture) ?? throw new InvalidOperationException($"The reason code '{reason.Code}' has no English text.");

    /// <summary>
    /// What a reader sees: the reason in <paramref name="culture"/>, or the stored sentence when the row has no parts
    /// (written before reasons had them) or names a code this version has no words for.
    /// </summary>
    public static string? For(string? text, PlainReason? reason, CultureInfo culture) =>
        reason is not null && Render(reason, culture) is { } words ? words : text;

    /// <summary>Null when a code (its own or its cause's) has no words here.</summary>
    public static string? Render(PlainReason reason, CultureInfo culture)
    {
        if (Texts.GetString("Reason." + reason.Code, culture) is not { } template) return null;
        var complete = true;
        var words = Placeholder().Replace(template, m =>
        {
            var value = Argument(reason, m.Groups[1].Value, culture);
            complete &= value is not null;
            return value ?? "";
        });
        return complete ? words : null;
    }

    /// <summary>
    /// Two arguments are written for the reader: <c>at</c> (a UTC moment, in the language's <c>Reason.AtFormat</c>)
    /// and <c>timeout</c> (milliseconds, as "7 s" or "500 ms"). The others are the receiver's, the network's or a
    /// person's own words (a status line, a host, an email) and go in as they are.
    /// </summary>
    private static string? Argument(PlainReason reason, string name, CultureInfo culture)
    {
        if (name == "cause") return reason.Cause is null ? "" : Render(reason.Cause, culture);
        var value = reason.Args.GetValueOrDefault(name) ?? "";
        return name switch
        {
            "at" when DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                => at.ToString(Texts.GetString("Reason.AtFormat", culture), culture),
            "timeout" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
                => ms >= 1000 ? $"{(ms / 1000).ToString("0.#", culture)} s" : $"{ms.ToString("0", culture)} ms",
            _ => value,
        };
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
