using System.Collections.Concurrent;
using System.Net;
using WebhookAdmin.Features.Deliveries.Destinations;

namespace WebhookAdmin.Tests.Features.Deliveries.Destinations;

/// <summary>
/// A DNS that answers what the test scripts: per host, a list of answers given one per lookup (the last
/// one repeats). Hosts it was not told about resolve for real (literals, <c>localhost</c>).
/// </summary>
public sealed class ScriptedResolver : IDestinationResolver
{
    private readonly DnsDestinationResolver _real = new();
    private readonly ConcurrentDictionary<string, IPAddress[][]> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _lookups = new(StringComparer.OrdinalIgnoreCase);

    public void Answer(string host, params string[][] answers) =>
        _answers[host] = answers.Select(a => a.Select(IPAddress.Parse).ToArray()).ToArray();

    public int Lookups(string host) => _lookups.GetValueOrDefault(host);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var n = _lookups.AddOrUpdate(host, 1, (_, count) => count + 1);
        return _answers.TryGetValue(host, out var answers)
            ? Task.FromResult(answers[Math.Min(n, answers.Length) - 1])
            : _real.ResolveAsync(host, cancellationToken);
    }
}
