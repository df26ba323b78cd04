using CsCheck;

namespace WebhookAdmin.Tests.Api.PropertyBased;

/// <summary>
/// Values of the right JSON type that code tends to trip over: empty and blank text, text that looks like a number,
/// a duration, a date, a URL, an email, a role or a scope, control and bidi characters, very long text, huge numbers.
/// Generators put them wherever a body has room, so that a defect is never the only odd thing in a body.
/// </summary>
public static class HostileValues
{
    private static readonly string[] Texts =
    [
        "", " ", "\t\n", "null", "true", "0", "-1", "-0", "1e999", "99999999999999999999", "NaN", "Infinity",
        "999999999:00:00", "2147483647:59:59", "P10675199DT2H48M5.4775808S", "-P1D", "PT1E10S", "99999999.00:00:00",
        "24:00:00", "00:00:00", "1.00:00:00", "0001-01-01T00:00:00+14:00", "2026-02-30",
        // No NUL character: text holding one is refused on every route (BadInputTests), so it is no longer "may be accepted".
        "\u202Eevil", "\uFEFF", "😀", "ｗｅｂｈｏｏｋ", "%00", "%ff", "../../etc/passwd", "<script>alert(1)</script>",
        "' OR 1=1 --", "{{x}}", "${x}", "todo_created", "TODO_CREATED ", "WEBHOOK_HEALTH_CHECK",
        "http://", "https://", "ftp://x", "javascript:alert(1)", "file:///etc/passwd", "//evil", "http:/\\\\x",
        "admin", "member", "ADMIN", "Member, Admin", "999", "webhooks", "events:publish", "root",
        "not-an-email", "@", "a@", "@b", "a@b@c",
    ];

    private static readonly string[] DateTimes =
        ["2026-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-06-01T12:00:00.1234567+14:00", "2026-06-01T12:00:00-14:00"];

    /// <summary>Number literals as written in JSON, some of which no double or long holds.</summary>
    public static readonly string[] Numbers =
        ["0", "-0", "1", "-1", "3.14", "1e999", "-1e999", "1.5e-400", "123456789012345678901234567890", "9223372036854775808", "2147483648"];

    /// <summary>Unpaired surrogate escapes: valid JSON grammar, but no Unicode text.</summary>
    public static readonly string[] Surrogates = ["\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud83d\"", "\"\\udfff\\ud800\"", "\"x\\uDBFF\""];

    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.OneOf(Texts)),
        (2, Gen.String[Gen.Char[' ', '~'], 0, 40]),
        (1, Gen.String[Gen.Char['\u00A0', '\uD7FF'], 1, 20]),
        (1, Gen.Int[200, 10_000].Select(n => new string('x', n))));

    public static readonly Gen<string> DateTime = Gen.OneOf(DateTimes);

    public static readonly Gen<JsonText> Number = Gen.OneOf(Numbers).Select(n => (JsonText)new JsonText.Literal(n));

    public static readonly Gen<JsonText> Boolean = Gen.Bool.Select(b => (JsonText)new JsonText.Literal(b ? "true" : "false"));

    /// <summary>A property name the schema does not declare, under any casing (System.Text.Json matches names case-insensitively here).</summary>
    public static readonly Gen<string> UnknownName = Gen.String[Gen.Char["abcdefghij"], 1, 8].Select(s => "x_" + s);

    private static readonly Gen<string> AnyName = Gen.Frequency((3, Gen.OneOf("", "__proto__", "constructor", "a.b", "[0]", "$ref", "id")), (2, UnknownName));

    /// <summary>Any JSON up to <paramref name="depth"/> levels: what a free-form value (and an unknown property) may hold.</summary>
    public static Gen<JsonText> Any(int depth)
    {
        var leaf = Gen.Frequency(
            (1, Gen.Const(JsonText.Null)),
            (1, Boolean),
            (2, Number),
            (3, Text.Select(JsonText.String)));
        if (depth == 0) return leaf;
        var inner = Any(depth - 1);
        return Gen.Frequency(
            (3, leaf),
            (1, inner.Array[0, 3].Select(items => (JsonText)new JsonText.List(items))),
            (1, Gen.Select(AnyName, inner).Array[0, 3].Select(members => (JsonText)new JsonText.Object(members))));
    }

    /// <summary>Any JSON with one unpaired surrogate in it: as a string, in a list, as a property name or a property's value.</summary>
    public static Gen<JsonText> AnyWithSurrogate(int depth)
    {
        var surrogate = Gen.OneOf(Surrogates).Select(s => (JsonText)new JsonText.Literal(s));
        if (depth == 0) return surrogate;
        var inner = AnyWithSurrogate(depth - 1);
        var other = Any(1);
        return Gen.Frequency(
            (2, surrogate),
            (1, Gen.Select(other.Array[0, 2], inner, other.Array[0, 2], (before, bad, after) => (JsonText)new JsonText.List([.. before, bad, .. after]))),
            (1, Gen.Select(AnyName, inner, (name, bad) => (JsonText)new JsonText.Object([(name, bad)]))),
            // A name is quoted on writing, so an object with a raw surrogate escape for a name is written as text.
            (1, Gen.Select(Gen.OneOf(Surrogates), other, (name, value) => (JsonText)new JsonText.Literal("{" + name + ":" + value + "}"))));
    }
}
