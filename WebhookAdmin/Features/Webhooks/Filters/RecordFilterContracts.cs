using System.Text.Json;

namespace WebhookAdmin.Features.Webhooks.Filters;

/// <summary>
/// Conditions on an event's data (<c>currentValue</c>, <c>previousValue</c>) that a webhook's events must meet, all
/// or any of them. Null on a webhook means no filter. Stored on the webhook as this JSON, checked by
/// <see cref="RecordFilterRules"/> and compiled once per index snapshot into a <see cref="CompiledFilter"/>.
/// </summary>
public sealed record RecordFilter(string? Match, IReadOnlyList<FilterCondition>? Conditions);

/// <summary>One condition: the value(s) at <paramref name="Path"/> compared by <paramref name="Op"/> with <paramref name="Value"/>.</summary>
public sealed record FilterCondition(string? Path, string? Op, JsonElement? Value = null);

public static class FilterOps
{
    public const string Eq = "eq", Ne = "ne", In = "in", Contains = "contains", Exists = "exists", Changed = "changed";
    public static readonly IReadOnlyList<string> All = [Eq, Ne, In, Contains, Exists, Changed];
}

public static class FilterMatch
{
    public const string All = "all", Any = "any";
}
