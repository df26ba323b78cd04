using WebhookAdmin.Features.Deliveries.Destinations;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>
/// The one HttpClient that talks to receivers. Its handler connects through the SSRF guard, never
/// follows redirects, ignores proxies and cookies, sends no trace headers, and recycles connections so DNS
/// changes are seen.
/// </summary>
public sealed class DeliveryHttpClient : IDisposable
{
    public DeliveryHttpClient(DestinationGuard guard)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            MaxConnectionsPerServer = int.MaxValue,
            ConnectCallback = guard.ConnectAsync,
            // No traceparent to receivers: they get exactly the request the attempt log shows (the contract's
            // headers), and the trace of an event stays ours. Also no per-request diagnostics handler.
            ActivityHeadersPropagator = null,
        };
        // Per-attempt timeouts come from a TimeProvider-driven token, so tests can advance time instead of waiting.
        Client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
