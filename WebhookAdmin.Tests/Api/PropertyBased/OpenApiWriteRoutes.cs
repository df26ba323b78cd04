using System.Text.Json;

namespace WebhookAdmin.Tests.Api.PropertyBased;

/// <summary>The shape of a JSON body as the OpenAPI document describes it, reduced to what a generator needs.</summary>
public abstract record BodySchema(bool Nullable);

/// <summary>A string; <paramref name="DateTime"/> when its format is <c>date-time</c> (then not every string fits).</summary>
public sealed record TextSchema(bool Nullable, bool DateTime) : BodySchema(Nullable);

public sealed record BooleanSchema(bool Nullable) : BodySchema(Nullable);

public sealed record NumberSchema(bool Nullable, bool Integer) : BodySchema(Nullable);

public sealed record ListSchema(bool Nullable, BodySchema Items) : BodySchema(Nullable);

public sealed record ObjectSchema(bool Nullable, IReadOnlyList<(string Name, BodySchema Schema)> Properties) : BodySchema(Nullable)
{
    public BodySchema? Find(string name) => Properties.FirstOrDefault(p => p.Name == name).Schema;
}

/// <summary>Any JSON at all (a <c>JsonElement</c> in the contract, <c>{}</c> in the document).</summary>
public sealed record AnySchema() : BodySchema(true);

/// <summary>A route that takes a JSON body, as listed in <c>/openapi/v1.json</c>.</summary>
public sealed record WriteRoute(string Method, string Pattern, BodySchema Body)
{
    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// Reads the app's own OpenAPI document: every POST, PUT, PATCH and DELETE with a JSON request body, and that body's
/// schema with <c>$ref</c>s resolved. Reading the document, not a list in the test, means a new route is covered the day
/// it is mapped.
/// </summary>
public static class OpenApiWriteRoutes
{
    private static readonly string[] WriteMethods = ["post", "put", "patch", "delete"];

    public static IReadOnlyList<WriteRoute> Read(JsonElement document)
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var routes = new List<WriteRoute>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject().Where(o => WriteMethods.Contains(o.Name)))
                if (operation.Value.TryGetProperty("requestBody", out var body) &&
                    body.GetProperty("content").TryGetProperty("application/json", out var json))
                    routes.Add(new WriteRoute(operation.Name.ToUpperInvariant(), path.Name, Parse(json.GetProperty("schema"), schemas, 0)));
        return routes;
    }

    private static BodySchema Parse(JsonElement schema, JsonElement schemas, int depth)
    {
        if (depth > 16) throw new InvalidOperationException("The OpenAPI schemas nest deeper than a request contract should.");
        if (schema.TryGetProperty("$ref", out var reference))
            return Parse(schemas.GetProperty(reference.GetString()!.Split('/')[^1]), schemas, depth + 1);
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            // Microsoft.AspNetCore.OpenApi writes a nullable reference as oneOf [ {type: null}, {$ref} ].
            var options = oneOf.EnumerateArray().ToList();
            var nullable = options.RemoveAll(IsNullType) > 0;
            if (options.Count != 1) return new AnySchema();
            return WithNullable(Parse(options[0], schemas, depth + 1), nullable);
        }

        var types = Types(schema);
        var isNullable = types.Remove("null");
        return types switch
        {
            [] => new AnySchema(),
            ["string"] => new TextSchema(isNullable, schema.TryGetProperty("format", out var f) && f.GetString() == "date-time"),
            ["boolean"] => new BooleanSchema(isNullable),
            // Numbers are also written as ["integer", "string"]: System.Text.Json reads them from strings too.
            ["integer", "string"] or ["integer"] => new NumberSchema(isNullable, Integer: true),
            ["number", "string"] or ["number"] => new NumberSchema(isNullable, Integer: false),
            ["array"] => new ListSchema(isNullable, schema.TryGetProperty("items", out var items) ? Parse(items, schemas, depth + 1) : new AnySchema()),
            ["object"] => new ObjectSchema(isNullable, schema.TryGetProperty("properties", out var properties)
                ? properties.EnumerateObject().Select(p => (p.Name, Parse(p.Value, schemas, depth + 1))).ToList()
                : []),
            _ => throw new InvalidOperationException($"No generator knows the schema type [{string.Join(", ", types)}]."),
        };
    }

    private static List<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
        : [type.GetString()!];

    private static bool IsNullType(JsonElement schema) => Types(schema) is ["null"];

    private static BodySchema WithNullable(BodySchema schema, bool nullable) => !nullable ? schema : schema switch
    {
        TextSchema s => s with { Nullable = true },
        BooleanSchema s => s with { Nullable = true },
        NumberSchema s => s with { Nullable = true },
        ListSchema s => s with { Nullable = true },
        ObjectSchema s => s with { Nullable = true },
        _ => schema,
    };
}
