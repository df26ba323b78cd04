using System.Net;
using System.Net.Sockets;
using WebhookAdmin.Features.Deliveries.Reasons;

namespace WebhookAdmin.Features.Deliveries.Destinations;

/// <summary>
/// Which IP addresses a webhook may never reach (SSRF guard), and the rule that blocks each: a code whose words
/// a user understands are <c>Reason.Address.{rule}</c> (<see cref="Because.Address"/>). Pure: no DNS, no sockets.
/// </summary>
public static class AddressPolicy
{
    private sealed record Range(IPNetwork Network, string Rule);

    private static readonly Range[] Blocked =
    [
        new(IPNetwork.Parse("169.254.169.254/32"), "Metadata"),
        new(IPNetwork.Parse("100.100.100.200/32"), "Metadata"),
        new(IPNetwork.Parse("fd00:ec2::254/128"), "Metadata"),
        new(IPNetwork.Parse("0.0.0.0/8"), "ThisNetwork"),
        new(IPNetwork.Parse("127.0.0.0/8"), "Loopback"),
        new(IPNetwork.Parse("10.0.0.0/8"), "Private"),
        new(IPNetwork.Parse("172.16.0.0/12"), "Private"),
        new(IPNetwork.Parse("192.168.0.0/16"), "Private"),
        new(IPNetwork.Parse("100.64.0.0/10"), "CarrierNat"),
        new(IPNetwork.Parse("169.254.0.0/16"), "LinkLocal"),
        new(IPNetwork.Parse("192.0.0.0/24"), "Protocol"),
        new(IPNetwork.Parse("198.18.0.0/15"), "Benchmarking"),
        new(IPNetwork.Parse("224.0.0.0/4"), "Multicast"),
        new(IPNetwork.Parse("240.0.0.0/4"), "Reserved"),
        new(IPNetwork.Parse("::/128"), "Unspecified"),
        new(IPNetwork.Parse("::1/128"), "Loopback"),
        new(IPNetwork.Parse("fe80::/10"), "LinkLocal"),
        new(IPNetwork.Parse("fec0::/10"), "SiteLocal"),
        new(IPNetwork.Parse("fc00::/7"), "UniqueLocal"),
        new(IPNetwork.Parse("ff00::/8"), "Multicast"),
    ];

    /// <summary>Every rule a range can name.</summary>
    public static IEnumerable<string> Rules => Blocked.Select(r => r.Rule).Distinct();

    /// <summary>Null when the address is public; otherwise the rule that blocks it.</summary>
    public static string? BlockedRule(IPAddress address)
    {
        address = Unwrap(address);
        foreach (var range in Blocked)
            if (range.Network.Contains(address))
                return range.Rule;
        return null;
    }

    /// <summary>Null when the address is public; otherwise the rule that blocks it, in English ("a loopback address").</summary>
    public static string? BlockedBecause(IPAddress address) => BlockedRule(address) is { } rule ? Because.Address(rule).English() : null;

    /// <summary>
    /// IPv4 hidden inside IPv6 (<c>::ffff:127.0.0.1</c>, NAT64 <c>64:ff9b::7f00:1</c>, 6to4 <c>2002:7f00:1::</c>)
    /// is judged as the IPv4 address it carries, so the guard cannot be dodged by spelling.
    /// </summary>
    public static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();

        var bytes = address.GetAddressBytes();
        if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return new IPAddress(bytes.AsSpan(12, 4));
        if (bytes[0] == 0x20 && bytes[1] == 0x02)
            return new IPAddress(bytes.AsSpan(2, 4));
        // IPv4-compatible (deprecated) ::a.b.c.d
        if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !address.Equals(IPAddress.IPv6Loopback) && !address.Equals(IPAddress.IPv6Any))
            return new IPAddress(bytes.AsSpan(12, 4));
        return address;
    }
}
