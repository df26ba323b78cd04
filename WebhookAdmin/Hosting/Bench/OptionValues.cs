using System.Globalization;

namespace WebhookAdmin.Hosting.Bench;

/// <summary>Typed reads of the bench's <c>--name value</c> options, in the invariant culture, with a fallback when absent.</summary>
public sealed class OptionValues(IReadOnlyDictionary<string, string> map)
{
    public bool Has(string key) => map.ContainsKey(key);

    public string? Text(string key) => map.GetValueOrDefault(key);

    public int Int(string key, int fallback) => map.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string key, double fallback) => map.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public TimeSpan Seconds(string key, TimeSpan fallback) => map.TryGetValue(key, out var v) ? TimeSpan.FromSeconds(double.Parse(v, CultureInfo.InvariantCulture)) : fallback;
}
