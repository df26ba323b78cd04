using System.Net;
using System.Net.Http.Json;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Events;

/// <summary>
/// Which webhooks an event reaches (contract section 3; Blue's four rules): its event list is empty or names
/// the type, its project list is empty or names the project, its owner is a member of the project at that
/// moment; a disabled webhook still gets the delivery, held; a deleted one gets nothing.
/// </summary>
public sealed class WebhookMatchingTests(EventWorld world) : IClassFixture<EventWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    private static string NewEmail() => $"owner-{Guid.NewGuid():N}@match.test";

    [Fact]
    public async Task An_empty_event_list_matches_every_type_and_is_kept_empty_so_types_added_later_match_too()
    {
        var owner = NewEmail();
        var project = await world.ProjectAsync("acme", owner);
        var client = await world.UserAsync(owner);
        var webhook = await world.WebhookAsync(client, events: [], projectIds: [project]);

        // Every type a publisher may send (the health events are WebhookAdmin's own, HealthEventTests).
        var publishable = EventCatalog.Subscribable.Where(t => !EventCatalog.IsHealth(t.Name)).ToList();
        var ids = publishable.Select(_ => "evt_all_" + Guid.NewGuid().ToString("N")).ToArray();
        var batch = publishable.Select((type, i) => new { id = ids[i], @event = type.Name, projectId = project }).ToArray();
        var answer = await world.Admin.PostOk("/api/v1/events/batch", batch, HttpStatusCode.Accepted);

        Assert.Equal(37, answer.GetProperty("accepted").GetInt32());
        foreach (var id in ids)
            Assert.Contains(webhook, (await world.DeliveriesOfAsync(id)).Keys);
        // Stored as "all", not frozen into today's 37 names.
        var stored = await client.GetOk($"/api/v1/webhooks/{webhook}");
        Assert.Equal(0, stored.GetProperty("events").GetArrayLength());
        Assert.Equal(0, stored.GetProperty("metadata").GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task An_event_list_matches_only_the_types_it_names()
    {
        var owner = NewEmail();
        var project = await world.ProjectAsync("acme", owner);
        var webhook = await world.WebhookAsync(await world.UserAsync(owner), events: ["TODO_CREATED", "COMMENT_CREATED"], projectIds: [project]);

        Assert.Contains(webhook, (await world.ReachedAsync("TODO_CREATED", project)).Keys);
        Assert.Contains(webhook, (await world.ReachedAsync("COMMENT_CREATED", project)).Keys);
        Assert.DoesNotContain(webhook, (await world.ReachedAsync("TODO_DELETED", project)).Keys);
        Assert.DoesNotContain(webhook, (await world.ReachedAsync("COMMENT_UPDATED", project)).Keys);
    }

    [Fact]
    public async Task An_empty_project_list_matches_every_project_the_owner_belongs_to_at_that_moment_and_no_other()
    {
        var owner = NewEmail();
        var acme = await world.ProjectAsync("acme", owner);
        var globex = await world.ProjectAsync("globex", owner);
        var notTheirs = await world.ProjectAsync("acme", TestApp.AdminEmail);
        var webhook = await world.WebhookAsync(await world.UserAsync(owner), projectIds: []);

        Assert.Contains(webhook, (await world.ReachedAsync("TODO_CREATED", acme)).Keys);
        Assert.Contains(webhook, (await world.ReachedAsync("TODO_CREATED", globex)).Keys);
        Assert.DoesNotContain(webhook, (await world.ReachedAsync("TODO_CREATED", notTheirs)).Keys);

        // Joining a project later brings its events without touching the webhook.
        await world.Admin.MemberAsync(notTheirs, owner);
        Assert.Contains(webhook, (await world.ReachedAsync("TODO_CREATED", notTheirs)).Keys);
    }

    [Fact]
    public async Task A_project_list_matches_only_the_projects_it_names_and_both_lists_must_match()
    {
        var owner = NewEmail();
        var listed = await world.ProjectAsync("acme", owner);
        var unlisted = await world.ProjectAsync("acme", owner);
        var webhook = await world.WebhookAsync(await world.UserAsync(owner), events: ["TAG_CREATED"], projectIds: [listed]);

        Assert.Contains(webhook, (await world.ReachedAsync("TAG_CREATED", listed)).Keys);
        Assert.DoesNotContain(webhook, (await world.ReachedAsync("TAG_CREATED", unlisted)).Keys);
        Assert.DoesNotContain(webhook, (await world.ReachedAsync("TAG_DELETED", listed)).Keys);
    }

    [Fact]
    public async Task One_webhook_listens_to_projects_of_two_companies_and_each_delivery_names_its_company()
    {
        var owner = NewEmail();
        var acme = await world.ProjectAsync("acme", owner);
        var globex = await world.ProjectAsync("globex", owner);
        var webhook = await world.WebhookAsync(await world.UserAsync(owner), projectIds: [acme, globex]);

        foreach (var (project, company) in new[] { (acme, "Acme Corp"), (globex, "Globex") })
        {
            var eventId = (await world.PublishAsync("TODO_CREATED", project)).Str("id");
            var delivery = (await world.Admin.GetOk($"/api/v1/deliveries?eventId={eventId}&webhookId={webhook}")).GetProperty("items").EnumerateArray().Single();
            var detail = await world.Admin.GetOk($"/api/v1/deliveries/{delivery.GetProperty("id").GetInt64()}");
            Assert.Equal(company, detail.GetProperty("payload").GetProperty("company").Str("name"));
            Assert.Equal(project, detail.GetProperty("payload").GetProperty("project").Str("id"));
        }
    }

    [Fact]
    public async Task Removing_the_owner_from_a_listed_project_stops_its_events_until_they_are_a_member_again()
    {
        var owner = NewEmail();
        var project = await world.ProjectAsync("acme", owner);
        var client = await world.UserAsync(owner);
        var webhook = await world.WebhookAsync(client, projectIds: [project]);
        Assert.Contains(webhook, (await world.ReachedAsync("TODO_CREATED", project)).Keys);

        using var removed = await world.Admin.DeleteAsync($"/api/v1/projects/{project}/members/{owner}", Test.Ct);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);

        Assert.DoesNotContain(webhook, (await world.ReachedAsync("TODO_CREATED", project)).Keys);
        // Still listed: the rule is live membership, not the list.
        Assert.Equal(project, (await client.GetOk($"/api/v1/webhooks/{webhook}")).GetProperty("projectIds")[0].GetString());

        await world.Admin.MemberAsync(project, owner);
        Assert.Contains(webhook, (await world.ReachedAsync("TODO_CREATED", project)).Keys);
    }

    [Fact]
    public async Task A_disabled_webhook_gets_its_delivery_stored_held_beside_an_enabled_one_that_gets_it_pending()
    {
        var owner = NewEmail();
        var project = await world.ProjectAsync("acme", owner);
        var client = await world.UserAsync(owner);
        var disabled = await world.WebhookAsync(client, projectIds: [project]);
        var enabled = await world.WebhookAsync(client, projectIds: [project]);
        await client.PostOk($"/api/v1/webhooks/{disabled}/disable", null);

        var answer = await world.PublishAsync("TODO_CREATED", project);
        var reached = await world.DeliveriesOfAsync(answer.Str("id"));

        Assert.Equal(2, answer.GetProperty("deliveries").GetInt32());
        Assert.Equal("held", reached[disabled]);
        Assert.Contains(reached[enabled], new[] { "pending", "delivering", "delivered" });
    }

    [Fact]
    public async Task A_deleted_webhook_gets_nothing()
    {
        var owner = NewEmail();
        var project = await world.ProjectAsync("acme", owner);
        var client = await world.UserAsync(owner);
        var deleted = await world.WebhookAsync(client, projectIds: [project]);
        var kept = await world.WebhookAsync(client, projectIds: [project]);
        using var response = await client.DeleteAsync($"/api/v1/webhooks/{deleted}", Test.Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var answer = await world.PublishAsync("TODO_CREATED", project);

        Assert.Equal(1, answer.GetProperty("deliveries").GetInt32());
        Assert.Equal([kept], (await world.DeliveriesOfAsync(answer.Str("id"))).Keys);
    }

    [Fact]
    public async Task A_webhook_cannot_list_a_project_its_owner_is_not_a_member_of_and_the_403_names_the_entry()
    {
        var owner = NewEmail();
        var mine = await world.ProjectAsync("acme", owner);
        var notMine = await world.ProjectAsync("globex", TestApp.AdminEmail);
        var client = await world.UserAsync(owner);
        var rowsBefore = await world.App.RowsAsync();

        using var create = await client.PostAsJsonAsync("/api/v1/webhooks", new { url = world.Receiver.UrlFor(), projectIds = new[] { mine, notMine } }, Test.Ct);
        var problem = await create.AssertProblemAsync(403, "projectIds[1]");
        Assert.Contains(notMine, problem.ErrorText());
        using var missing = await client.PostAsJsonAsync("/api/v1/webhooks", new { url = world.Receiver.UrlFor(), projectIds = new[] { "does-not-exist", mine } }, Test.Ct);
        await missing.AssertProblemAsync(403, "projectIds[0]");
        Assert.Equal(rowsBefore, await world.App.RowsAsync());

        var webhook = await world.WebhookAsync(client, projectIds: [mine]);
        using var patch = await client.PatchAsJsonAsync($"/api/v1/webhooks/{webhook}", new { projectIds = new[] { mine, notMine } }, Test.Ct);
        await patch.AssertProblemAsync(403, "projectIds[1]");
        Assert.Equal([mine], (await client.GetOk($"/api/v1/webhooks/{webhook}")).GetProperty("projectIds").EnumerateArray().Select(p => p.GetString()));
    }
}
