using System.Text.Json;

namespace WebhookAdmin.Features.Webhooks.Filters;

/// <summary>
/// A webhook's filter ready to run against events: paths parsed and values held once per index snapshot, so matching
/// an event costs only the walks along its paths. Semantics, per operator, over the values a path reaches (a
/// <c>[*]</c> path can reach many, a missing field none; a JSON null counts as missing for <c>exists</c>):
/// <c>eq</c> some value equals; <c>ne</c> no value equals (so a missing field is "not equal");
/// <c>in</c> some value equals one of the list; <c>contains</c> some text value contains the text (ignoring case) or
/// some list value has an element equal to it; <c>exists</c> some value is not null; <c>changed</c> the values at the
/// same path under <c>previousValue</c> and <c>currentValue</c> differ (a field added or removed is a change).
/// </summary>
public sealed class CompiledFilter
{
    private readonly bool _any;
    private readonly Condition[] _conditions;

    private sealed record Condition(FilterPath Path, string Op, JsonElement? Value);

    private CompiledFilter(bool any, Condition[] conditions) => (_any, _conditions) = (any, conditions);

    /// <summary>Compiles a filter that <see cref="RecordFilterRules"/> accepted; null when there is none.</summary>
    public static CompiledFilter? From(RecordFilter? filter)
    {
        if (filter?.Conditions is not { Count: > 0 } conditions) return null;
        var compiled = conditions.Select(c => new Condition(
            FilterPath.TryParse(c.Path, out _) ?? throw new ArgumentException($"The stored path '{c.Path}' does not parse.", nameof(filter)),
            c.Op!, c.Value?.Clone())).ToArray();
        return new CompiledFilter(filter.Match == FilterMatch.Any, compiled);
    }

    public bool Matches(JsonElement? previous, JsonElement? current)
    {
        var found = new List<JsonElement>();
        foreach (var condition in _conditions)
        {
            var holds = Holds(condition, previous, current, found);
            if (holds == _any) return holds;
        }
        return !_any;
    }

    private static bool Holds(Condition condition, JsonElement? previous, JsonElement? current, List<JsonElement> found)
    {
        found.Clear();
        if (condition.Op == FilterOps.Changed) return Changed(condition.Path, previous, current, found);
        condition.Path.Resolve(condition.Path.FromPrevious ? previous : current, found);
        return condition.Op switch
        {
            FilterOps.Eq => found.Exists(v => JsonElement.DeepEquals(v, condition.Value!.Value)),
            FilterOps.Ne => !found.Exists(v => JsonElement.DeepEquals(v, condition.Value!.Value)),
            FilterOps.In => found.Exists(v => condition.Value!.Value.EnumerateArray().Any(item => JsonElement.DeepEquals(v, item))),
            FilterOps.Contains => found.Exists(v => Contains(v, condition.Value!.Value)),
            FilterOps.Exists => found.Exists(v => v.ValueKind != JsonValueKind.Null),
            _ => false,
        };
    }

    private static bool Contains(JsonElement found, JsonElement text) => found.ValueKind switch
    {
        JsonValueKind.String => found.GetString()!.Contains(text.GetString()!, StringComparison.OrdinalIgnoreCase),
        JsonValueKind.Array => found.EnumerateArray().Any(item => JsonElement.DeepEquals(item, text)),
        _ => false,
    };

    private static bool Changed(FilterPath path, JsonElement? previous, JsonElement? current, List<JsonElement> before)
    {
        path.Resolve(previous, before);
        var after = new List<JsonElement>(before.Count);
        path.Resolve(current, after);
        if (before.Count != after.Count) return true;
        for (var i = 0; i < before.Count; i++)
            if (!JsonElement.DeepEquals(before[i], after[i])) return true;
        return false;
    }
}
