using Microsoft.Extensions.Options;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

public sealed class DeliveryOptionsTests
{
    [Fact]
    public async Task Configured_retry_delays_replace_the_defaults_rather_than_being_appended_to_them()
    {
        await using var app = new TestApp(new Dictionary<string, string?>
        {
            ["Delivery:RetryDelays:0"] = "00:00:05",
            ["Delivery:RetryDelays:1"] = "00:02:00",
        });

        var options = app.Service<IOptions<DeliveryOptions>>().Value;

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2)], options.RetryDelays);
    }

    [Fact]
    public async Task Without_configuration_the_contracts_default_delays_apply()
    {
        await using var app = new TestApp();

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)],
            app.Service<IOptions<DeliveryOptions>>().Value.RetryDelays);
    }

    [Theory]
    [InlineData("00:00:04", 1.0)]      // a quarter is a second
    [InlineData("00:00:02", 1.0)]      // never more often than once a second
    [InlineData(null, 20.25)]          // the default lease, 3 × 7 s + 1 min
    [InlineData("00:10:00", 30.0)]     // never less often than every 30 s
    public void Expired_leases_are_looked_for_every_quarter_lease_between_one_and_thirty_seconds(string? lease, double seconds)
    {
        var options = new DeliveryOptions { LeaseDuration = lease is null ? null : TimeSpan.Parse(lease, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.LeaseSweepInterval());
    }
}
