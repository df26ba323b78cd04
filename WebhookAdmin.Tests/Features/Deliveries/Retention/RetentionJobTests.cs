using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Retention;

/// <summary>The purge is a scheduled job: nobody runs it by hand in production.</summary>
public sealed class RetentionJobTests
{
    [Fact]
    public async Task The_purge_runs_by_itself_every_retention_interval()
    {
        await using var world = await RetentionWorld.StartAsync(interval: "00:00:01");
        var ok = await world.WebhookAsync("/ok", "TODO_CREATED");
        var first = await world.DeliveryOfAsync(ok.Id, await world.PublishAsync("TODO_CREATED"));

        world.World.AdvanceTo(world.Start + TimeSpan.FromDays(31));
        await Eventually.ReturnsAsync(() => world.StatusOfDeliveryAsync(first), s => s == HttpStatusCode.NotFound, "the scheduled purge to remove the old delivery");

        // And again on the next runs, for what has expired since.
        var second = await world.DeliveryOfAsync(ok.Id, await world.PublishAsync("TODO_CREATED"));
        world.World.AdvanceTo(world.Start + TimeSpan.FromDays(62));
        await Eventually.ReturnsAsync(() => world.StatusOfDeliveryAsync(second), s => s == HttpStatusCode.NotFound, "a later scheduled purge");
    }
}
