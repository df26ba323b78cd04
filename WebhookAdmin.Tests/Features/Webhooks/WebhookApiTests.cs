using System.Net;
using System.Net.Http.Json;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Webhooks;

/// <summary>The webhook resource as the contract (section 3) shows it: create, read, list, change, delete.</summary>
public sealed class WebhookApiTests(ApiWorld world) : IClassFixture<ApiWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    private async Task<HttpClient> NewOwnerAsync()
    {
        var email = $"owner-{Guid.NewGuid():N}@webhooks.test";
        await world.Admin.MemberAsync(ApiWorld.Project, email);
        return world.As(await world.Admin.TokenForAsync(email, "webhooks"));
    }

    [Fact]
    public async Task Create_answers_201_with_the_secret_once_and_no_read_ever_shows_it_again()
    {
        var owner = await NewOwnerAsync();
        using var response = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = world.Receiver.UrlFor(), name = "CRM sync" }, Test.Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var secret = created.Str("secret");
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        Assert.Equal($"/api/v1/webhooks/{created.Str("id")}", response.Headers.Location?.OriginalString);
        Assert.Matches("^wh_", created.Str("uid"));
        Assert.Equal(("CRM sync", "HEALTHY", true), (created.Str("name"), created.Str("status"), created.GetProperty("enabled").GetBoolean()));
        Assert.Equal(0, created.GetProperty("events").GetArrayLength());
        Assert.Equal(0, created.GetProperty("projectIds").GetArrayLength());

        var read = await owner.GetOk($"/api/v1/webhooks/{created.Str("id")}");
        var list = await owner.GetOk("/api/v1/webhooks");
        var patched = await owner.SendExpectAsync(HttpMethod.Patch, $"/api/v1/webhooks/{created.Str("id")}", new { name = "renamed" }, HttpStatusCode.OK);
        foreach (var answer in new[] { read, list, patched })
        {
            Assert.DoesNotContain(secret[6..], answer.GetRawText());
            Assert.DoesNotContain("\"secret\"", answer.GetRawText());
        }
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent_and_a_sent_list_replaces_the_old_one()
    {
        var owner = await NewOwnerAsync();
        var created = await owner.PostOk("/api/v1/webhooks", new
        {
            url = world.Receiver.UrlFor("/a"), name = "Keep me", events = new[] { "TODO_CREATED", "TODO_DELETED" }, projectIds = new[] { ApiWorld.Project },
        }, HttpStatusCode.Created);
        var path = $"/api/v1/webhooks/{created.Str("id")}";

        var patched = await owner.SendExpectAsync(HttpMethod.Patch, path, new { events = new[] { "COMMENT_CREATED" } }, HttpStatusCode.OK);
        Assert.Equal(["COMMENT_CREATED"], patched.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["COMMENT_CREATED"], patched.GetProperty("metadata").GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(("Keep me", world.Receiver.UrlFor("/a"), ApiWorld.Project),
            (patched.Str("name"), patched.Str("url"), patched.GetProperty("projectIds")[0].GetString()));

        var emptied = await owner.SendExpectAsync(HttpMethod.Patch, path, new { projectIds = Array.Empty<string>(), url = world.Receiver.UrlFor("/b") }, HttpStatusCode.OK);
        Assert.Equal(0, emptied.GetProperty("projectIds").GetArrayLength());
        Assert.Equal(world.Receiver.UrlFor("/b"), emptied.Str("url"));
        Assert.Equal(["COMMENT_CREATED"], emptied.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task The_list_is_newest_first_pages_with_skip_and_take_and_filters_on_enabled()
    {
        var owner = await NewOwnerAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add((await owner.PostOk("/api/v1/webhooks", new { url = world.Receiver.UrlFor(), name = $"hook {i}" }, HttpStatusCode.Created)).Str("id"));
        await owner.PostOk($"/api/v1/webhooks/{ids[1]}/disable", null);

        var page = await owner.GetOk("/api/v1/webhooks?skip=1&take=2");
        Assert.Equal([ids[3], ids[2]], page.GetProperty("items").EnumerateArray().Select(w => w.Str("id")));
        var info = page.GetProperty("pageInfo");
        Assert.Equal((5, 1, 2, true, true), (info.GetProperty("totalItems").GetInt32(), info.GetProperty("page").GetInt32(),
            info.GetProperty("perPage").GetInt32(), info.GetProperty("hasNextPage").GetBoolean(), info.GetProperty("hasPreviousPage").GetBoolean()));

        var disabled = await owner.GetOk("/api/v1/webhooks?enabled=false");
        Assert.Equal([ids[1]], disabled.GetProperty("items").EnumerateArray().Select(w => w.Str("id")));
        var enabled = await owner.GetOk("/api/v1/webhooks?enabled=true");
        Assert.Equal(4, enabled.GetProperty("pageInfo").GetProperty("totalItems").GetInt32());
    }

    [Fact]
    public async Task Disable_answers_the_webhook_disabled_and_unhealthy_with_a_reason()
    {
        var owner = await NewOwnerAsync();
        var id = (await owner.PostOk("/api/v1/webhooks", new { url = world.Receiver.UrlFor() }, HttpStatusCode.Created)).Str("id");

        var disabled = await owner.PostOk($"/api/v1/webhooks/{id}/disable", null);

        Assert.Equal((false, "UNHEALTHY"), (disabled.GetProperty("enabled").GetBoolean(), disabled.Str("status")));
        Assert.False(string.IsNullOrWhiteSpace(disabled.Str("disabledReason")));
    }

    [Fact]
    public async Task Delete_answers_204_and_then_the_webhook_is_gone_from_reads_lists_and_a_second_delete()
    {
        var owner = await NewOwnerAsync();
        var id = (await owner.PostOk("/api/v1/webhooks", new { url = world.Receiver.UrlFor() }, HttpStatusCode.Created)).Str("id");

        using var deleted = await owner.DeleteAsync($"/api/v1/webhooks/{id}", Test.Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        await (await owner.GetAsync($"/api/v1/webhooks/{id}", Test.Ct)).AssertProblemAsync(404);
        await (await owner.DeleteAsync($"/api/v1/webhooks/{id}", Test.Ct)).AssertProblemAsync(404);
        Assert.DoesNotContain(id, (await owner.GetOk("/api/v1/webhooks")).GetRawText());
        Assert.DoesNotContain(id, (await world.Admin.GetOk("/api/v1/webhooks?take=200")).GetRawText());
    }

    [Fact]
    public async Task A_deleted_webhooks_delivered_delivery_cannot_be_resent_and_stays_delivered()
    {
        var webhook = await world.NewWebhookAsync(world.AliceToken);
        var deliveryId = await world.NewDeliveryAsync(webhook.Str("id"));
        await world.WaitDeliveredAsync(deliveryId);
        var received = world.Receiver.Requests.Count;
        using var deleted = await world.As(world.AliceToken).DeleteAsync($"/api/v1/webhooks/{webhook.Str("id")}", Test.Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        // The administrator still sees the log entry, but there is no webhook left to send it to.
        using var resend = await world.Admin.PostAsync($"/api/v1/deliveries/{deliveryId}/resend", null, Test.Ct);
        var problem = await resend.AssertProblemAsync(409);
        Assert.Contains("deleted", problem.Str("detail"));

        var after = await world.Admin.GetOk($"/api/v1/deliveries/{deliveryId}");
        Assert.Equal("delivered", after.Str("status"));
        Assert.Equal(1, after.GetProperty("attemptLog").GetArrayLength());
        Assert.Equal(received, world.Receiver.Requests.Count);
    }

    [Fact]
    public async Task Event_types_lists_Blues_37_subscribable_types_in_six_groups_then_the_health_events_and_never_the_health_check()
    {
        var types = (await world.As(world.PublishOnlyToken).GetOk("/api/v1/event-types")).EnumerateArray().ToList();

        Assert.Equal(40, types.Count);
        Assert.Equal(40, types.Select(t => t.Str("name")).Distinct().Count());
        Assert.Equal(37, types.Count(t => t.Str("group") != "Webhook health"));
        Assert.DoesNotContain(types, t => t.Str("name") == "WEBHOOK_HEALTH_CHECK");
        Assert.Equal(["Records", "Checklists", "Lists", "Custom fields", "Tags", "Comments", "Webhook health"], types.Select(t => t.Str("group")).Distinct());
        Assert.All(types, t => Assert.False(string.IsNullOrWhiteSpace(t.Str("description"))));
        Assert.Contains(types, t => t.Str("name") == "TODO_DONE_STATUS_UPDATED" && t.Str("group") == "Records");
    }
}
