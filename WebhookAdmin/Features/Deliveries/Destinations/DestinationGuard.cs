using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Deliveries.Destinations;

/// <summary>
/// The SSRF guard, applied twice: when a URL is saved (<see cref="CheckUrlAsync"/>) and on the address
/// actually connected to (<see cref="ConnectAsync"/>, the delivery client's ConnectCallback), so a DNS
/// answer that changes after validation cannot get through.
/// </summary>
public sealed class DestinationGuard(IDestinationResolver resolver, IOptionsMonitor<DeliveryOptions> options)
{
    private bool AllowPrivate => options.CurrentValue.AllowPrivateNetworks;

    /// <summary>Null when the URL may be saved; otherwise a sentence saying why not.</summary>
    public async Task<string?> CheckUrlAsync(string? url, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
            return "Enter the URL that should receive the webhook.";
        if (url.Length > Data.Limits.Url)
            return $"The URL is longer than {Data.Limits.Url} characters.";
        // On Unix "/hooks" parses as an implicit file: URI; it is a relative URL to the person who typed it.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.IsFile && !url.TrimStart().StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
            return "This is not a valid absolute URL (for example https://example.com/webhooks).";
        // The scheme first: file:, data: and javascript: URLs have no host, and "not http" is the helpful answer.
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            return $"Only http and https URLs can receive webhooks, not '{uri.Scheme}'.";
        if (string.IsNullOrEmpty(uri.Host))
            return "This is not a valid absolute URL (for example https://example.com/webhooks).";
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return "The URL must not contain a user name or password.";
        if (!string.IsNullOrEmpty(uri.Fragment))
            return "The URL must not contain a fragment (#…).";
        if (AllowPrivate)
            return null;

        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host name '{uri.Host}' could not be resolved.";
        }
        if (addresses.Length == 0)
            return $"The host name '{uri.Host}' could not be resolved.";

        foreach (var address in addresses)
            if (AddressPolicy.BlockedBecause(address) is { } rule)
                return $"The URL is refused: {uri.Host} resolves to {address}, which is {rule}. Webhooks can only be sent to public internet addresses.";
        return null;
    }

    /// <summary>Resolves, drops blocked addresses, and connects to the first allowed one.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await resolver.ResolveAsync(host, cancellationToken);
        PlainReason? refusal = null;
        SocketException? lastError = null;

        foreach (var address in addresses)
        {
            if (!AllowPrivate && AddressPolicy.BlockedRule(address) is { } rule)
            {
                refusal ??= Because.Blocked(host, address, rule);
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastError = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (lastError is not null) throw lastError;
        throw new DestinationBlockedException(refusal ?? Because.Unresolvable(host));
    }
}
