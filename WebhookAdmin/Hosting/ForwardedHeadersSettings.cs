using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

using IPNetwork = System.Net.IPNetwork;

namespace WebhookAdmin.Hosting;

/// <summary>
/// The <c>ForwardedHeaders</c> section. Behind a reverse proxy that ends TLS the app sees plain http from the
/// proxy's address; X-Forwarded-Proto and X-Forwarded-For say what the visitor used, so redirects keep https,
/// cookies are Secure and HSTS is sent. Only from proxies named here, or any client could claim anything.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; } = true;

    /// <summary>Addresses of the proxies to believe. With neither list set: loopback only (a proxy on the same machine).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies to believe, in CIDR notation (<c>172.16.0.0/12</c>, a container network).</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool IsValid() =>
        KnownProxies.All(p => IPAddress.TryParse(p, out _)) && KnownNetworks.All(n => IPNetwork.TryParse(n, out _));

    public void ApplyTo(ForwardedHeadersOptions options)
    {
        // Not X-Forwarded-Host: nginx passes a client's own X-Forwarded-Host through untouched unless told
        // otherwise. The proxy sets Host instead (proxy_set_header Host $host).
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        if (KnownProxies.Length == 0 && KnownNetworks.Length == 0) return;
        // Named proxies replace the loopback default rather than add to it: the operator says exactly whom to believe.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in KnownNetworks) options.KnownIPNetworks.Add(IPNetwork.Parse(network));
    }
}
