using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Events;

/// <summary>
/// <c>POST /api/v1/events</c> and <c>/events/batch</c> (contract, section 3): stored with their deliveries
/// before the answer, idempotent on <c>id</c>, batches all-or-nothing.
/// </summary>
public sealed class IngestionTests(EventWorld world) : IClassFixture<EventWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    [Fact]
    public async Task An_event_answers_202_with_its_id_and_one_delivery_per_matching_webhook_stored_before_the_answer()
    {
        var project = await world.ProjectAsync("acme", TestApp.AdminEmail);
        var first = await world.WebhookAsync(world.Admin, projectIds: [project]);
        var second = await world.WebhookAsync(world.Admin, events: ["TODO_CREATED"], projectIds: [project]);

        var answer = await world.PublishAsync("TODO_CREATED", project);

        Assert.StartsWith("evt_", answer.Str("id"));
        Assert.Equal(2, answer.GetProperty("deliveries").GetInt32());
        var stored = await world.DeliveriesOfAsync(answer.Str("id"));
        Assert.Equal([first, second], stored.Keys.Order());
        await using var db = await Db();
        Assert.Equal(2, await db.Events.Where(e => e.Id == answer.Str("id")).Select(e => e.DeliveryCount).SingleAsync(Test.Ct));
    }

    [Fact]
    public async Task Publishing_an_id_again_answers_200_with_the_first_result_and_fans_out_nothing_new()
    {
        var project = await world.ProjectAsync("acme", TestApp.AdminEmail);
        await world.WebhookAsync(world.Admin, projectIds: [project]);
        var id = "evt_again_" + Guid.NewGuid().ToString("N");

        var first = await world.Admin.PostOk("/api/v1/events", new { id, @event = "TODO_CREATED", projectId = project }, HttpStatusCode.Accepted);
        // A second matching webhook now exists: fanning out again would reach two webhooks.
        await world.WebhookAsync(world.Admin, projectIds: [project]);
        var rowsBefore = await world.App.RowsAsync();
        var again = await world.Admin.PostOk("/api/v1/events",
            new { id, @event = "COMMENT_CREATED", projectId = project, currentValue = new { text = "different" } }, HttpStatusCode.OK);

        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Equal(1, again.GetProperty("deliveries").GetInt32());
        Assert.Equal(rowsBefore, await world.App.RowsAsync());
        Assert.Single(await world.DeliveriesOfAsync(id));
        await using var db = await Db();
        Assert.Equal("TODO_CREATED", await db.Events.Where(e => e.Id == id).Select(e => e.Type).SingleAsync(Test.Ct));
    }

    [Fact]
    public async Task The_same_id_posted_by_many_callers_at_once_is_stored_once()
    {
        var project = await world.ProjectAsync("acme", TestApp.AdminEmail);
        await world.WebhookAsync(world.Admin, projectIds: [project]);
        var id = "evt_race_" + Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await world.Admin.PostAsJsonAsync("/api/v1/events", new { id, @event = "TODO_CREATED", projectId = project }, Test.Ct);
            return (response.StatusCode, Body: await response.JsonAsync());
        }));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.OK }));
        Assert.All(answers, a => Assert.Equal(1, a.Body.GetProperty("deliveries").GetInt32()));
        Assert.Single(await world.DeliveriesOfAsync(id));
    }

    [Fact]
    public async Task A_batch_answers_202_with_accepted_deliveries_and_duplicates_counting_repeats_inside_it_and_from_before()
    {
        var project = await world.ProjectAsync("acme", TestApp.AdminEmail);
        await world.WebhookAsync(world.Admin, projectIds: [project]);
        await world.WebhookAsync(world.Admin, events: ["TODO_DELETED"], projectIds: [project]);
        var earlier = "evt_earlier_" + Guid.NewGuid().ToString("N");
        var inside = "evt_inside_" + Guid.NewGuid().ToString("N");
        await world.Admin.PostOk("/api/v1/events", new { id = earlier, @event = "TODO_CREATED", projectId = project }, HttpStatusCode.Accepted);
        var rowsBefore = await world.App.RowsAsync();

        var answer = await world.Admin.PostOk("/api/v1/events/batch", new object[]
        {
            new { id = inside, @event = "TODO_CREATED", projectId = project },  // 1 delivery
            new { @event = "TODO_DELETED", projectId = project },                // 2 deliveries
            new { id = earlier, @event = "TODO_CREATED", projectId = project },  // accepted before
            new { id = inside, @event = "TODO_DELETED", projectId = project },   // repeated inside the batch
        }, HttpStatusCode.Accepted);

        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(3, answer.GetProperty("deliveries").GetInt32());
        Assert.Equal(2, answer.GetProperty("duplicates").GetInt32());
        var rowsAfter = await world.App.RowsAsync();
        Assert.Equal(rowsBefore with { Events = rowsBefore.Events + 2, Deliveries = rowsBefore.Deliveries + 3 }, rowsAfter);
        Assert.Single(await world.DeliveriesOfAsync(inside));
    }

    [Fact]
    public async Task A_batch_of_1000_events_over_one_MiB_is_accepted_whole()
    {
        var project = await world.ProjectAsync("acme");
        var padding = new string('p', 1500);
        var batch = Enumerable.Range(0, 1000)
            .Select(i => new { @event = "TODO_NAME_CHANGED", projectId = project, currentValue = new { id = $"todo_{i}", title = padding } })
            .ToArray();
        var content = JsonContent.Create(batch, options: ApiExtensions.Json);
        await content.LoadIntoBufferAsync(Test.Ct);
        Assert.True(content.Headers.ContentLength > 1024 * 1024, "the batch should be bigger than the single-event limit");
        var rowsBefore = await world.App.RowsAsync();

        using var response = await world.Admin.PostAsync("/api/v1/events/batch", content, Test.Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1000, (await response.JsonAsync()).GetProperty("accepted").GetInt32());
        Assert.Equal(rowsBefore.Events + 1000, (await world.App.RowsAsync()).Events);
    }

    [Fact]
    public async Task One_bad_event_rejects_the_whole_batch_naming_it_by_index_and_stores_none_of_the_others()
    {
        var project = await world.ProjectAsync("acme", TestApp.AdminEmail);
        await world.WebhookAsync(world.Admin, projectIds: [project]);
        var ids = Enumerable.Range(0, 3).Select(_ => "evt_whole_" + Guid.NewGuid().ToString("N")).ToArray();
        var rowsBefore = await world.App.RowsAsync();

        using var invalid = await world.Admin.PostAsJsonAsync("/api/v1/events/batch", new object[]
        {
            new { id = ids[0], @event = "TODO_CREATED", projectId = project },
            new { id = ids[1], @event = "TODO_CREATED", projectId = project },
            new { id = ids[2], @event = "TODO_SHREDDED", projectId = project },
        }, Test.Ct);
        await invalid.AssertProblemAsync(400, "[2].event");

        using var unknownProject = await world.Admin.PostAsJsonAsync("/api/v1/events/batch", new object[]
        {
            new { id = ids[0], @event = "TODO_CREATED", projectId = project },
            new { id = ids[1], @event = "TODO_CREATED", projectId = "nobody-made-this-project" },
        }, Test.Ct);
        await unknownProject.AssertProblemAsync(422, "[1].projectId");

        Assert.Equal(rowsBefore, await world.App.RowsAsync());
        await using var db = await Db();
        Assert.False(await db.Events.AnyAsync(e => ids.Contains(e.Id), Test.Ct));
    }

    [Fact]
    public async Task An_event_of_a_project_no_webhook_listens_to_is_stored_and_fans_out_to_nothing()
    {
        var quiet = await world.ProjectAsync("globex");
        // A webhook of someone who is not a member of the project: it must not match.
        var outsider = await world.UserAsync("outsider@events.test");
        await world.WebhookAsync(outsider);

        var answer = await world.PublishAsync("TODO_CREATED", quiet);

        Assert.Equal(0, answer.GetProperty("deliveries").GetInt32());
        Assert.Empty(await world.DeliveriesOfAsync(answer.Str("id")));
        await using var db = await Db();
        Assert.True(await db.Events.AnyAsync(e => e.Id == answer.Str("id"), Test.Ct));
    }

    [Fact]
    public async Task An_unknown_project_answers_422_and_an_unknown_event_400_each_naming_the_field()
    {
        var project = await world.ProjectAsync("acme");
        using var unknownProject = await world.Admin.PostAsJsonAsync("/api/v1/events", new { @event = "TODO_CREATED", projectId = "never-heard-of-it" }, Test.Ct);
        var problem = await unknownProject.AssertProblemAsync(422, "projectId");
        Assert.Contains("never-heard-of-it", problem.ErrorText());

        using var unknownEvent = await world.Admin.PostAsJsonAsync("/api/v1/events", new { @event = "TODO_TELEPORTED", projectId = project }, Test.Ct);
        await unknownEvent.AssertProblemAsync(400, "event");
    }

    [Fact]
    public async Task What_was_published_is_what_the_delivery_carries()
    {
        var project = await world.ProjectAsync("acme", TestApp.AdminEmail);
        var webhook = await world.WebhookAsync(world.Admin, projectIds: [project]);
        var body = """
            {"event": "TODO_NAME_CHANGED", "projectId": "PROJECT", "actorId": "user_7", "occurredAt": "2026-11-26T10:00:00Z",
             "previousValue": {"title": "Draft", "n": 1.50}, "currentValue": {"title": "Final ✓", "nested": [1, {"a": null}]}}
            """.Replace("PROJECT", project);

        using var response = await world.Admin.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"), Test.Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var eventId = (await response.JsonAsync()).Str("id");
        var deliveryId = (await world.Admin.GetOk($"/api/v1/deliveries?eventId={eventId}&webhookId={webhook}")).GetProperty("items")[0].GetProperty("id").GetInt64();
        var payload = (await world.Admin.GetOk($"/api/v1/deliveries/{deliveryId}")).GetProperty("payload");

        Assert.Equal("TODO_NAME_CHANGED", payload.Str("event"));
        Assert.Equal(eventId, payload.Str("id"));
        Assert.Equal("user_7", payload.GetProperty("actor").Str("id"));
        Assert.Equal("Acme Corp", payload.GetProperty("company").Str("name"));
        Assert.Equal(project, payload.GetProperty("project").Str("id"));
        // Numbers keep their spelling (1.50 stays 1.50): the raw JSON is stored, not a re-typed copy.
        Assert.Equal("""{"title":"Draft","n":1.50}""", payload.GetProperty("previousValue").GetRawText());
        Assert.Equal("Final ✓", payload.GetProperty("currentValue").Str("title"));
        Assert.StartsWith("2026-11-26T10:00:00", payload.Str("timestamp"));
    }

    private async Task<AppDbContext> Db() =>
        await world.App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Test.Ct);
}
