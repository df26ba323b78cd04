using System.Text.Json;

namespace WebhookAdmin.Features.Webhooks.Filters;

/// <summary>
/// A path into an event's data: <c>currentValue</c> or <c>previousValue</c>, then dot-separated property names, each
/// followed by any number of <c>[*]</c> (every element of an array) or <c>[n]</c> (the element at index n, from 0).
/// Names are letters, digits, <c>_</c> and <c>-</c>, matched exactly (case-sensitive). Resolving gives every value
/// found; a missing property, an index past the end or a step into something that is not an object or array gives none.
/// </summary>
public sealed class FilterPath
{
    public const int MaxLength = 200;
    public const int MaxSteps = 12;
    public const string Current = "currentValue", Previous = "previousValue";

    /// <summary>A property name, or an array step (<see cref="Index"/> null = every element).</summary>
    private readonly record struct Step(string? Name, int? Index);

    private readonly Step[] _steps;

    private FilterPath(bool fromPrevious, Step[] steps) => (FromPrevious, _steps) = (fromPrevious, steps);

    public bool FromPrevious { get; }

    /// <summary>The parsed path, or null with why (for the 400 that names the condition).</summary>
    public static FilterPath? TryParse(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return Fail("A condition needs a path, such as currentValue.tags[*].title.", out problem);
        if (text.Length > MaxLength) return Fail($"A path has at most {MaxLength} characters; this one has {text.Length}.", out problem);
        var steps = new List<Step>();
        var segments = text.Split('.');
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? segment : segment[..bracket];
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                return Fail($"'{Short(segment)}' is not a property name (letters, digits, _ and - only), in '{Short(text)}'.", out problem);
            steps.Add(new Step(name, null));
            var rest = bracket < 0 ? "" : segment[bracket..];
            while (rest.Length > 0)
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                if (rest[0] != '[' || close < 2) return Fail($"'{Short(segment)}' has a bracket that is not [*] or [n], in '{Short(text)}'.", out problem);
                var inside = rest[1..close];
                if (inside == "*") steps.Add(new Step(null, null));
                else if (inside.All(char.IsAsciiDigit) && int.TryParse(inside, out var index)) steps.Add(new Step(null, index));
                else return Fail($"'[{Short(inside)}]' is not [*] or an index such as [0], in '{Short(text)}'.", out problem);
                rest = rest[(close + 1)..];
            }
        }
        if (steps[0].Name is not (Current or Previous))
            return Fail($"A path starts with {Current} or {Previous}; '{Short(text)}' does not.", out problem);
        if (steps.Count > MaxSteps) return Fail($"A path has at most {MaxSteps} steps.", out problem);
        return new FilterPath(steps[0].Name == Previous, steps.Skip(1).ToArray());
    }

    /// <summary>Every value the path reaches from <paramref name="root"/> (the event's current or previous value), in order.</summary>
    public void Resolve(JsonElement? root, List<JsonElement> found)
    {
        if (root is { } element) Walk(element, 0, found);
    }

    private void Walk(JsonElement element, int at, List<JsonElement> found)
    {
        if (at == _steps.Length)
        {
            found.Add(element);
            return;
        }
        var step = _steps[at];
        if (step.Name is { } name)
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child)) Walk(child, at + 1, found);
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            if (step.Index is { } index)
            {
                if (index < element.GetArrayLength()) Walk(element[index], at + 1, found);
            }
            else
                foreach (var item in element.EnumerateArray()) Walk(item, at + 1, found);
        }
    }

    private static FilterPath? Fail(string message, out string? problem)
    {
        problem = message;
        return null;
    }

    private static string Short(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
