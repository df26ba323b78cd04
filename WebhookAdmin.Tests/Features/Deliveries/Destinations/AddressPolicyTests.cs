using System.Net;
using WebhookAdmin.Features.Deliveries.Destinations;

namespace WebhookAdmin.Tests.Features.Deliveries.Destinations;

/// <summary>The SSRF guard's address rules, without DNS or sockets.</summary>
public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("10.255.255.255", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("100.100.100.200", "metadata")]
    [InlineData("fd00:ec2::254", "metadata")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    public void A_non_public_address_is_blocked_by_the_rule_that_names_its_range(string address, string rule)
    {
        var because = AddressPolicy.BlockedBecause(IPAddress.Parse(address));
        Assert.NotNull(because);
        Assert.Contains(rule, because);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "loopback")]          // IPv4-mapped
    [InlineData("::ffff:169.254.169.254", "metadata")]
    [InlineData("::ffff:10.1.2.3", "private")]
    [InlineData("64:ff9b::7f00:1", "loopback")]           // NAT64 well-known prefix, 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", "metadata")]        // NAT64, 169.254.169.254
    [InlineData("64:ff9b::c0a8:101", "private")]          // NAT64, 192.168.1.1
    [InlineData("2002:7f00:1::", "loopback")]             // 6to4 of 127.0.0.1
    [InlineData("2002:a9fe:a9fe::1", "metadata")]         // 6to4 of 169.254.169.254
    [InlineData("2002:a00:1:1::5", "private")]            // 6to4 of 10.0.0.1
    [InlineData("::7f00:1", "loopback")]                  // IPv4-compatible (deprecated)
    public void IPv4_carried_inside_IPv6_is_judged_as_the_IPv4_address(string address, string rule)
    {
        var because = AddressPolicy.BlockedBecause(IPAddress.Parse(address));
        Assert.NotNull(because);
        Assert.Contains(rule, because);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("64:ff9b::7f00:1", "127.0.0.1")]
    [InlineData("64:ff9b::808:808", "8.8.8.8")]
    [InlineData("2002:7f00:1::", "127.0.0.1")]
    [InlineData("2002:808:808::1", "8.8.8.8")]
    [InlineData("::7f00:1", "127.0.0.1")]
    public void Unwrap_finds_the_IPv4_address_inside(string wrapped, string inside) =>
        Assert.Equal(IPAddress.Parse(inside), AddressPolicy.Unwrap(IPAddress.Parse(wrapped)));

    [Theory]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("64:ff9b:1::7f00:1")]   // not the /96 well-known prefix: left as IPv6
    [InlineData("8.8.8.8")]
    public void Unwrap_leaves_other_addresses_alone(string address) =>
        Assert.Equal(IPAddress.Parse(address), AddressPolicy.Unwrap(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("172.15.255.255")]   // just below 172.16.0.0/12
    [InlineData("172.32.0.1")]       // just above it
    [InlineData("100.63.255.255")]   // just below 100.64.0.0/10
    [InlineData("100.128.0.1")]      // just above it
    [InlineData("192.169.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void A_public_address_is_allowed(string address) =>
        Assert.Null(AddressPolicy.BlockedBecause(IPAddress.Parse(address)));
}
