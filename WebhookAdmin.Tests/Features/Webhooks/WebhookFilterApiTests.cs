using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebhookAdmin.Features.Webhooks.Filters;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Webhooks;

/// <summary>
/// A webhook's record filter through the API: stored and shown on create, get and patch, applied at ingestion (a
/// delivery exists only for a matching event), removed with null, refused with a 400 naming the condition.
/// </summary>
public sealed class WebhookFilterApiTests(ApiWorld world) : IClassFixture<ApiWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    private static readonly object UrgentInBacklog = new
    {
        match = "all",
        conditions = new object[]
        {
            new { path = "currentValue.tags[*].title", op = "eq", value = "Urgent" },
            new { path = "currentValue.list.title", op = "eq", value = "Backlog" },
        },
    };

    private static object Record(string list, params string[] tags) => new
    {
        id = "todo_" + Guid.NewGuid().ToString("N")[..8], title = "A record", list = new { id = "l-" + list, title = list },
        tags = tags.Select(t => new { id = "tag-" + t, title = t }).ToArray(),
    };

    /// <summary>Two projects of two companies, with a new owner who is a member of both.</summary>
    private async Task<(HttpClient Owner, string[] Projects)> TwoCompaniesAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] projects = [$"flt-a-{run}", $"flt-b-{run}"];
        var owner = $"filters-{run}@webhooks.test";
        for (var i = 0; i < 2; i++)
        {
            await world.Admin.CompanyAsync($"flt-co{i}-{run}", $"Company {i}");
            await world.Admin.ProjectAsync(projects[i], $"flt-co{i}-{run}");
            await world.Admin.MemberAsync(projects[i], owner);
        }
        return (world.As(await world.Admin.TokenForAsync(owner, "webhooks")), projects);
    }

    private async Task<int> PublishAsync(string projectId, object record) =>
        (await world.Admin.PostOk("/api/v1/events", new { @event = "TODO_TAG_ADDED", projectId, currentValue = record }, HttpStatusCode.Accepted))
        .GetProperty("deliveries").GetInt32();

    [Fact]
    public async Task Only_urgent_records_in_backlog_are_delivered_in_both_projects_of_both_companies()
    {
        var (owner, projects) = await TwoCompaniesAsync();
        var created = await owner.PostOk("/api/v1/webhooks",
            new { url = world.Receiver.UrlFor("/urgent"), projectIds = projects, filter = UrgentInBacklog }, HttpStatusCode.Created);
        var id = created.Str("id");
        Assert.Equal("all", created.GetProperty("filter").Str("match"));
        Assert.Equal("currentValue.tags[*].title", (await owner.GetOk($"/api/v1/webhooks/{id}")).GetProperty("filter").GetProperty("conditions")[0].Str("path"));

        var outcomes = new List<int>();
        foreach (var project in projects)
        {
            outcomes.Add(await PublishAsync(project, Record("Backlog", "Billing", "Urgent")));
            outcomes.Add(await PublishAsync(project, Record("Backlog", "Billing")));
            outcomes.Add(await PublishAsync(project, Record("Done", "Urgent")));
            outcomes.Add(await PublishAsync(project, new { id = "todo_no_tags", list = new { title = "Backlog" } }));
        }
        Assert.Equal([1, 0, 0, 0, 1, 0, 0, 0], outcomes);

        var deliveries = await owner.GetOk($"/api/v1/webhooks/{id}/deliveries");
        Assert.Equal(projects.Reverse(), deliveries.GetProperty("items").EnumerateArray().Select(d => d.Str("projectId")));
    }

    [Fact]
    public async Task Patch_keeps_the_filter_when_it_is_left_out_replaces_it_and_removes_it_with_null()
    {
        var (owner, projects) = await TwoCompaniesAsync();
        var id = (await owner.PostOk("/api/v1/webhooks", new { url = world.Receiver.UrlFor("/p"), projectIds = projects, filter = UrgentInBacklog },
            HttpStatusCode.Created)).Str("id");
        var path = $"/api/v1/webhooks/{id}";

        var renamed = await owner.SendExpectAsync(HttpMethod.Patch, path, new { name = "renamed" }, HttpStatusCode.OK);
        Assert.Equal(2, renamed.GetProperty("filter").GetProperty("conditions").GetArrayLength());

        var any = new { match = "any", conditions = new[] { new { path = "currentValue.duedAt", op = "changed" } } };
        var replaced = await owner.SendExpectAsync(HttpMethod.Patch, path, new { filter = any }, HttpStatusCode.OK);
        Assert.Equal(("any", "changed"), (replaced.GetProperty("filter").Str("match"), replaced.GetProperty("filter").GetProperty("conditions")[0].Str("op")));
        Assert.Equal(0, await PublishAsync(projects[0], Record("Backlog", "Urgent")));

        using var content = new StringContent("""{ "filter": null }""", System.Text.Encoding.UTF8, "application/json");
        using var response = await owner.PatchAsync(path, content, Test.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await response.JsonAsync()).GetProperty("filter").ValueKind);
        Assert.Equal(1, await PublishAsync(projects[0], Record("Done")));
    }

    [Fact]
    public async Task A_bad_filter_answers_400_naming_the_condition_on_create_and_on_patch()
    {
        var (owner, projects) = await TwoCompaniesAsync();
        var bad = new
        {
            conditions = new object[]
            {
                new { path = "currentValue.title", op = "exists" },
                new { path = "title", op = "eq", value = "x" },
                new { path = "currentValue.tags[*].title", op = "like", value = "x" },
                new { path = "currentValue.tags", op = "in", value = "Urgent" },
            },
        };
        using var create = await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = world.Receiver.UrlFor(), projectIds = projects, filter = bad }, Test.Ct);
        // Under the one field "filter", a message per condition at fault, starting with where it is.
        var refused = (await create.AssertProblemAsync(400, "filter")).ErrorText();
        foreach (var at in new[] { "conditions[1].path", "conditions[2].op", "conditions[3].value" })
            Assert.Contains($"filter: {at}: ", refused);
        Assert.DoesNotContain("conditions[0]", refused);

        var id = (await owner.PostOk("/api/v1/webhooks", new { url = world.Receiver.UrlFor(), projectIds = projects }, HttpStatusCode.Created)).Str("id");
        using var patch = await owner.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { filter = new { match = "most", conditions = Array.Empty<object>() } }, Test.Ct);
        var problem = (await patch.AssertProblemAsync(400, "filter")).ErrorText();
        Assert.Contains("filter: match: ", problem);
        Assert.Contains("filter: conditions: A filter needs at least one condition", problem);
        Assert.Equal(JsonValueKind.Null, (await owner.GetOk($"/api/v1/webhooks/{id}")).GetProperty("filter").ValueKind);
    }

    [Fact]
    public async Task The_preview_counts_which_of_the_last_events_of_the_chosen_projects_would_have_been_sent()
    {
        var (owner, projects) = await TwoCompaniesAsync();
        var id = (await owner.PostOk("/api/v1/webhooks", new { url = world.Receiver.UrlFor(), projectIds = projects }, HttpStatusCode.Created)).Str("id");
        var ownerId = (await owner.GetOk($"/api/v1/webhooks/{id}")).Str("ownerId");
        await PublishAsync(projects[0], Record("Backlog", "Urgent"));
        await PublishAsync(projects[0], Record("Backlog"));
        await PublishAsync(projects[1], Record("Backlog", "Urgent", "Billing"));
        await PublishAsync(projects[1], Record("Done", "Urgent"));
        var filter = RecordFilterRules.Check(JsonSerializer.Deserialize<RecordFilter>(JsonSerializer.Serialize(UrgentInBacklog), JsonSerializerOptions.Web), [])!;
        var preview = world.App.Service<FilterPreview>();

        var both = await preview.PreviewAsync(ownerId, projects, [], filter, Test.Ct);
        Assert.Equal((2, 4), (both.WouldSend, both.Looked));
        // Newest first.
        Assert.Equal([false, true, false, true], both.Events.Select(e => e.WouldSend));

        var one = await preview.PreviewAsync(ownerId, [projects[0]], [], filter, Test.Ct);
        Assert.Equal((1, 2), (one.WouldSend, one.Looked));
        var otherType = await preview.PreviewAsync(ownerId, projects, ["TODO_CREATED"], filter, Test.Ct);
        Assert.Equal((0, 4), (otherType.WouldSend, otherType.Looked));
        var unfiltered = await preview.PreviewAsync(ownerId, projects, [], null, Test.Ct);
        Assert.Equal((4, 4), (unfiltered.WouldSend, unfiltered.Looked));
        // Someone else's projects are not looked at, even when named.
        var stranger = await preview.PreviewAsync("nobody", projects, [], null, Test.Ct);
        Assert.Equal(0, stranger.Looked);
    }
}
