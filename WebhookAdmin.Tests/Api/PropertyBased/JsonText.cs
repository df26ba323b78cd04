using System.Text;
using System.Text.Json;

namespace WebhookAdmin.Tests.Api.PropertyBased;

/// <summary>
/// JSON assembled by hand, so a generated body can hold what a serializer refuses to write: an unpaired surrogate
/// escape, <c>1e999</c>, a property given twice. Writing it gives the exact text sent.
/// </summary>
public abstract record JsonText
{
    public static readonly JsonText Null = new Literal("null");

    /// <summary>Text written as it is: a number, <c>true</c>, <c>null</c>, or a string already in quotes.</summary>
    public sealed record Literal(string Text) : JsonText;

    public sealed record List(IReadOnlyList<JsonText> Items) : JsonText;

    public sealed record Object(IReadOnlyList<(string Name, JsonText Value)> Members) : JsonText;

    public static JsonText String(string value) => new Literal(Quote(value));

    public static string Quote(string value) => JsonSerializer.Serialize(value);

    // Sealed, so the derived records do not write their own "Literal { Text = … }" in place of the JSON.
    public sealed override string ToString()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }

    private void Write(StringBuilder text)
    {
        switch (this)
        {
            case Literal literal:
                text.Append(literal.Text);
                break;
            case List list:
                text.Append('[');
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    list.Items[i].Write(text);
                }
                text.Append(']');
                break;
            case Object obj:
                text.Append('{');
                for (var i = 0; i < obj.Members.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    text.Append(Quote(obj.Members[i].Name)).Append(':');
                    obj.Members[i].Value.Write(text);
                }
                text.Append('}');
                break;
        }
    }

    /// <summary>
    /// Every name an answer may give to a field of this body: <c>body</c>, each property the schema declares on each
    /// object present (sent or not: "url is required" names a field that is absent) and each list entry present. With
    /// <paramref name="cut"/>, also where a reader of this text cut short may stop: inside a property the schema does
    /// not know, or at the entry after a list's last one (<c>["a"</c> stops at <c>[1]</c>).
    /// </summary>
    public IReadOnlySet<string> FieldNames(BodySchema schema, bool cut = false)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "body" };
        Collect(this, schema, "", names, cut);
        return names;
    }

    private static void Collect(JsonText node, BodySchema? schema, string path, HashSet<string> names, bool cut)
    {
        if (path.Length > 0) names.Add(path);
        switch (node)
        {
            case Object obj:
                var declared = schema as ObjectSchema;
                foreach (var (name, _) in declared?.Properties ?? []) names.Add(Join(path, name));
                foreach (var (name, value) in obj.Members)
                    if (declared?.Find(name) is { } property) Collect(value, property, Join(path, name), names, cut);
                    else if (cut) Collect(value, null, Join(path, name), names, cut);
                break;
            case List list:
                for (var i = 0; i < list.Items.Count; i++)
                    Collect(list.Items[i], (schema as ListSchema)?.Items, $"{path}[{i}]", names, cut);
                if (cut) names.Add($"{path}[{list.Items.Count}]");
                break;
        }
    }

    /// <summary>A field's name as the API writes it: <c>events[0]</c>, <c>[1].projectId</c>.</summary>
    public static string Join(string path, string property) => path.Length == 0 ? property : $"{path}.{property}";
}
