using System.Net;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Deliveries.Destinations;

/// <summary>Name resolution, swappable so tests can make a DNS answer change between validation and connection.</summary>
public interface IDestinationResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsDestinationResolver : IDestinationResolver
{
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>Thrown at connect time when every address of a host is blocked; the reason names the rule.</summary>
public sealed class DestinationBlockedException(PlainReason reason) : Exception(reason.English())
{
    public PlainReason Reason => reason;
}
