using System.Text.Json;

namespace WebhookAdmin.Features.Webhooks.Filters;

/// <summary>
/// Checks a filter sent to the API or built in the editor; errors name the condition
/// (<c>filter.conditions[2].op</c>). Answers the filter as it is stored: match spelled out, operators lower case.
/// </summary>
public static class RecordFilterRules
{
    public const int MaxConditions = 20;
    public const int MaxInValues = 100;
    public const int MaxTextLength = 500;
    private const string Field = "filter";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The filter as sent (raw JSON: absent or null = none), checked; null when there is none or it is refused.</summary>
    /// <remarks>
    /// Every finding is answered under the one key <c>filter</c>, each message starting with the condition it is about
    /// ("conditions[1].op: …"): the request's filter is read as raw JSON, so the API's document describes it as one
    /// value, and a client (or the API's own property tests) can only be told about the fields the document declares.
    /// </remarks>
    public static RecordFilter? Read(JsonElement sent, Dictionary<string, string[]> errors)
    {
        if (sent.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        var found = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filter = Parse(sent, found);
        if (found.Count > 0)
        {
            errors[Field] = [.. found.SelectMany(f => f.Value.Select(message =>
                f.Key == Field ? message : $"{f.Key[(Field.Length + 1)..]}: {message}"))];
            return null;
        }
        return filter;
    }

    private static RecordFilter? Parse(JsonElement sent, Dictionary<string, string[]> errors)
    {
        RecordFilter? filter;
        try
        {
            filter = sent.ValueKind == JsonValueKind.Object ? sent.Deserialize<RecordFilter>(Json) : null;
        }
        catch (JsonException wrong) when (wrong.Path is { Length: > 1 } path)
        {
            // Named where it went wrong ("conditions[0].op"), as the API names any field of the wrong type.
            var at = Field + (path.StartsWith("$.", StringComparison.Ordinal) ? "." + path[2..] : path.TrimStart('$'));
            errors[at] = ["This has the wrong type (for example a number where text is expected)."];
            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON it can read at all, or text that is not Unicode (an unpaired surrogate escape).
            filter = null;
        }
        if (filter is null)
        {
            errors[Field] = ["'filter' is null or an object { \"match\": \"all\" | \"any\", \"conditions\": [ { \"path\", \"op\", \"value\" } ] }."];
            return null;
        }
        return Check(filter, errors);
    }

    public static JsonElement ToElement(RecordFilter? filter) =>
        filter is null ? JsonSerializer.SerializeToElement<object?>(null) : JsonSerializer.SerializeToElement(filter, Json);

    public static RecordFilter? Check(RecordFilter? filter, Dictionary<string, string[]> errors)
    {
        if (filter is null) return null;
        var match = filter.Match?.Trim().ToLowerInvariant() ?? FilterMatch.All;
        if (match is not (FilterMatch.All or FilterMatch.Any))
            errors[$"{Field}.match"] = ["'match' is \"all\" (every condition must hold) or \"any\" (one is enough)."];
        var conditions = filter.Conditions ?? [];
        if (conditions.Count == 0)
            errors[$"{Field}.conditions"] = ["A filter needs at least one condition; send \"filter\": null for none."];
        else if (conditions.Count > MaxConditions)
            errors[$"{Field}.conditions"] = [$"A filter has at most {MaxConditions} conditions; this one has {conditions.Count}."];
        var checkedConditions = new List<FilterCondition>(conditions.Count);
        for (var i = 0; i < conditions.Count; i++)
            checkedConditions.Add(CheckCondition(conditions[i], $"{Field}.conditions[{i}]", errors));
        return new RecordFilter(match, checkedConditions);
    }

    private static FilterCondition CheckCondition(FilterCondition? condition, string at, Dictionary<string, string[]> errors)
    {
        if (condition is null)
        {
            errors[at] = ["A condition is an object with 'path', 'op' and (for most operators) 'value'."];
            return new FilterCondition(null, null);
        }
        if (FilterPath.TryParse(condition.Path, out var pathProblem) is null) errors[$"{at}.path"] = [pathProblem!];
        var op = condition.Op?.Trim().ToLowerInvariant();
        if (op is null || !FilterOps.All.Contains(op))
        {
            errors[$"{at}.op"] = [$"'op' is one of {string.Join(", ", FilterOps.All)}."];
            return condition;
        }
        var value = condition.Value is { ValueKind: not JsonValueKind.Undefined } v ? v : (JsonElement?)null;
        if (ValueProblem(op, value) is { } problem) errors[$"{at}.value"] = [problem];
        return new FilterCondition(condition.Path!.Trim(), op, op is FilterOps.Exists or FilterOps.Changed ? null : value);
    }

    private static string? ValueProblem(string op, JsonElement? value) => op switch
    {
        FilterOps.Exists or FilterOps.Changed => value is null or { ValueKind: JsonValueKind.Null } ? null
            : $"'{op}' takes no value; leave 'value' out.",
        FilterOps.In => value is not { ValueKind: JsonValueKind.Array } array ? "'in' takes a list of values, such as [\"Urgent\", \"Blocked\"]."
            : array.GetArrayLength() is 0 or > MaxInValues ? $"'in' takes between 1 and {MaxInValues} values."
            : array.EnumerateArray().Select(ScalarProblem).FirstOrDefault(p => p is not null),
        FilterOps.Contains => value is { ValueKind: JsonValueKind.String } ? ScalarProblem(value.Value)
            : "'contains' takes a text to look for (in a text, or among a list's values).",
        _ => value is null ? $"'{op}' needs a value to compare with." : ScalarProblem(value.Value),
    };

    private static string? ScalarProblem(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object or JsonValueKind.Array => "A value is a text, a number, true, false or null (not an object or a list).",
        JsonValueKind.String when value.GetString()!.Length > MaxTextLength => $"A text value has at most {MaxTextLength} characters.",
        _ => null,
    };

    public static string? ToJson(RecordFilter? filter) => filter is null ? null : JsonSerializer.Serialize(filter, Json);

    public static RecordFilter? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<RecordFilter>(json, Json);
}
