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
}
