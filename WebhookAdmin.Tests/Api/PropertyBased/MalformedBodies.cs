using System.Collections.Immutable;
using CsCheck;

namespace WebhookAdmin.Tests.Api.PropertyBased;

/// <summary>What the API must answer to a generated body.</summary>
public abstract record Expectation
{
    /// <summary>Invalid by construction (a wrong JSON type, a forbidden null, text that is not Unicode): this status, naming this field.</summary>
    public sealed record Rejected(int Status, string Field) : Expectation;

    /// <summary>Not JSON at all (cut short, or followed by more): 400, naming <c>body</c> or the field where reading stopped.</summary>
    public sealed record Unreadable : Expectation;

    /// <summary>Every value of the right type, only hostile: may be accepted; if not, a 4xx naming the body's fields.</summary>
    public sealed record EitherWay : Expectation;
}

/// <summary>One generated request; <see cref="Fields"/> are the names its answer may give.</summary>
public sealed record GeneratedRequest(WriteRoute Route, string Kind, string Body, string? Charset, Expectation Expect, IReadOnlySet<string> Fields)
{
    public override string ToString() =>
        $"{Route} [{Kind}] expecting {Expect}{(Charset is null ? "" : $", charset={Charset}")}: {(Body.Length <= 1500 ? Body : Body[..1500] + $"… ({Body.Length} chars)")}";
}

/// <summary>
/// Generators of bad bodies for one route, from its OpenAPI schema. Most are invalid by construction: well-typed
/// hostile values everywhere (so the defect is never alone) and exactly one defect, so the field the answer must
/// name is known. The rest are well-typed throughout and may be accepted; the test then only insists on the shape
/// of a refusal and never on one.
/// </summary>
public static class MalformedBodies
{
    private static readonly string[] UnknownCharsets = ["no-such-charset", "utf-9", "x-bogus", "latin-42"];
    private static readonly string[] Trailers = ["}", "]", ",", "x", "{}", " 1", "\"a\"", "null", "/*c*/", "//c", ",{}", "\u0000"];
    private static readonly string[] NotDates = ["", "yesterday", "now", "2026-13-01T00:00:00Z", "2026-01-01T25:00:00Z", "1700000000", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"];

    public static Gen<GeneratedRequest> For(IReadOnlyList<WriteRoute> routes) => Gen.OneOf(routes.Select(For).ToArray());

    public static Gen<GeneratedRequest> For(WriteRoute route)
    {
        var schema = route.Body;
        var wellTyped = WellTyped(schema, nullAllowed: false);
        return Gen.Frequency(
            (5, Defect(schema, "").Select(d =>
                Make(route, $"defect at {d.Field}", d.Body, null, new Expectation.Rejected(d.Status, d.Field), d.Body.FieldNames(schema)))),
            (1, WrongRoot(schema).Select(body =>
                Make(route, "root of the wrong kind", body, null, new Expectation.Rejected(400, "body"), body.FieldNames(schema)))),
            (1, wellTyped.SelectMany(body => Gen.Int[1, body.ToString().Length - 1].Select(cut =>
                Make(route, $"cut at {cut}", body.ToString()[..cut], null, new Expectation.Unreadable(), body.FieldNames(schema, cut: true))))),
            (1, Gen.Select(wellTyped, Gen.OneOf(Trailers), (body, trailer) =>
                Make(route, "more after the JSON", body + trailer, null, new Expectation.Unreadable(), body.FieldNames(schema, cut: true)))),
            (1, Gen.Select(wellTyped, Gen.OneOf(UnknownCharsets), (body, charset) =>
                Make(route, "unknown charset", body, charset, new Expectation.Rejected(415, "body"), body.FieldNames(schema)))),
            (4, wellTyped.Select(body =>
                Make(route, "hostile values", body, null, new Expectation.EitherWay(), body.FieldNames(schema)))));
    }

    private static GeneratedRequest Make(WriteRoute route, string kind, JsonText body, string? charset, Expectation expect, IReadOnlySet<string> fields) =>
        Make(route, kind, body.ToString(), charset, expect, fields);

    private static GeneratedRequest Make(WriteRoute route, string kind, string body, string? charset, Expectation expect, IReadOnlySet<string> fields) =>
        new(route, kind, body, charset, expect, fields);

    /// <summary>A value of the schema's type, with hostile content; null only where the schema allows it.</summary>
    public static Gen<JsonText> WellTyped(BodySchema schema, bool nullAllowed = true)
    {
        var value = schema switch
        {
            TextSchema { DateTime: true } => HostileValues.DateTime.Select(JsonText.String),
            TextSchema => HostileValues.Text.Select(JsonText.String),
            BooleanSchema => HostileValues.Boolean,
            NumberSchema => Gen.Int.Select(n => (JsonText)new JsonText.Literal(n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            ListSchema list => WellTyped(list.Items).Array[0, 4].Select(items => (JsonText)new JsonText.List(items)),
            ObjectSchema obj => Members(obj, except: null).Select(members => (JsonText)new JsonText.Object(members)),
            _ => HostileValues.Any(3),
        };
        return nullAllowed && schema.Nullable ? Gen.Frequency((1, Gen.Const(JsonText.Null)), (4, value)) : value;
    }

    /// <summary>The declared properties (each sent or left out) and up to two unknown ones, in a random order.</summary>
    private static Gen<List<(string Name, JsonText Value)>> Members(ObjectSchema schema, string? except)
    {
        var present = Gen.Const(ImmutableList<(string Name, JsonText Value)>.Empty);
        foreach (var (name, property) in schema.Properties.Where(p => p.Name != except))
            present = Gen.Select(present, Gen.Frequency((1, Gen.Const((JsonText?)null)), (3, WellTyped(property).Select(v => (JsonText?)v))),
                (members, value) => value is null ? members : members.Add((name, value)));
        var unknown = Gen.Select(HostileValues.UnknownName, HostileValues.Any(2)).Array[0, 2];
        return Gen.Select(present, unknown, (known, extra) => known.AddRange(extra).ToArray())
            .SelectMany(members => Gen.Shuffle(members).Select(shuffled => shuffled.ToList()));
    }

    /// <summary>
    /// A body of the schema with exactly one defect, at <paramref name="path"/> or below: a value of another JSON type,
    /// a null where the contract allows none, text that is not Unicode. Everything else is well-typed.
    /// </summary>
    private static Gen<(JsonText Body, string Field, int Status)> Defect(BodySchema schema, string path)
    {
        // Any JSON fits a free-form value, so it has no wrong kind; the root's wrong kinds are WrongRoot's.
        var here = path.Length == 0 || schema is AnySchema ? null : WrongKind(schema).Select(v => (v, path, 400));
        var below = schema switch
        {
            ObjectSchema { Properties.Count: > 0 } obj => DefectInObject(obj, path),
            ListSchema list => DefectInList(list, path),
            AnySchema => HostileValues.AnyWithSurrogate(2).Select(v => (v, path, 400)),
            _ => null,
        };
        return (here, below) switch
        {
            (null, null) => throw new InvalidOperationException($"No defect can be made for the schema {schema} at '{path}'."),
            ({ } h, null) => h,
            (null, { } b) => b,
            ({ } h, { } b) => Gen.Frequency((1, h), (2, b)),
        };
    }

    private static Gen<(JsonText Body, string Field, int Status)> DefectInObject(ObjectSchema schema, string path) =>
        Gen.Int[0, schema.Properties.Count - 1].SelectMany(k =>
        {
            var (name, property) = schema.Properties[k];
            return Gen.Select(Defect(property, JsonText.Join(path, name)), Members(schema, except: name), Gen.Bool, WellTyped(property))
                .SelectMany((defect, others, repeat, earlier) => Gen.Int[0, others.Count].Select(position =>
                {
                    List<(string, JsonText)> members = [.. others];
                    members.Insert(position, (name, defect.Body));
                    // Sometimes the same property comes earlier with a good value: the later, bad one is what counts.
                    if (repeat) members.Insert(0, (name, earlier));
                    return ((JsonText)new JsonText.Object(members), defect.Field, defect.Status);
                }));
        });

    private static Gen<(JsonText Body, string Field, int Status)> DefectInList(ListSchema schema, string path) =>
        Gen.Int[1, 4].SelectMany(count => Gen.Int[0, count - 1].SelectMany(index =>
            Gen.Select(Defect(schema.Items, $"{path}[{index}]"), WellTyped(schema.Items).Array[count - 1], (defect, others) =>
            {
                List<JsonText> items = [.. others];
                items.Insert(index, defect.Body);
                return ((JsonText)new JsonText.List(items), defect.Field, defect.Status);
            })));

    /// <summary>A value no deserializer may read as this schema: another JSON type, null where none is allowed, broken text.</summary>
    private static Gen<JsonText> WrongKind(BodySchema schema)
    {
        var any = HostileValues.Any(2);
        var options = new List<Gen<JsonText>>();
        if (!schema.Nullable) options.Add(Gen.Const(JsonText.Null));
        // A number in quotes would still be read as a number (System.Text.Json's web defaults): only non-numeric text is wrong.
        if (schema is NumberSchema) options.Add(Gen.OneOf("", "abc", "twelve", "1,5").Select(JsonText.String));
        else if (schema is not TextSchema) options.Add(HostileValues.Text.Select(JsonText.String));
        if (schema is not BooleanSchema) options.Add(HostileValues.Boolean);
        if (schema is not NumberSchema) options.Add(HostileValues.Number);
        if (schema is not ListSchema) options.Add(any.Array[0, 3].Select(items => (JsonText)new JsonText.List(items)));
        if (schema is not ObjectSchema) options.Add(Gen.Select(HostileValues.UnknownName, any).Array[0, 2].Select(m => (JsonText)new JsonText.Object(m)));
        if (schema is TextSchema { DateTime: true }) options.Add(Gen.OneOf(NotDates).Select(JsonText.String));
        if (schema is TextSchema) options.Add(Gen.OneOf(HostileValues.Surrogates).Select(s => (JsonText)new JsonText.Literal(s)));
        return Gen.OneOf(options.ToArray());
    }

    /// <summary>A root of another kind than the schema's: a list or a scalar for an object, an object or a scalar for a list.</summary>
    private static Gen<JsonText> WrongRoot(BodySchema schema)
    {
        var any = HostileValues.Any(2);
        var scalars = Gen.OneOf(HostileValues.Boolean, HostileValues.Number, HostileValues.Text.Select(JsonText.String));
        return schema is ListSchema
            ? Gen.OneOf(scalars, Gen.Select(HostileValues.UnknownName, any).Array[0, 2].Select(m => (JsonText)new JsonText.Object(m)))
            : Gen.OneOf(scalars, any.Array[0, 3].Select(items => (JsonText)new JsonText.List(items)));
    }
}
