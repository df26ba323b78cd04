using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Outbox;

/// <summary>
/// A 202 survives a power cut: the write-ahead log is synced after the ingestion commit and before the answer,
/// and concurrent ingestions share one commit (one fsync) instead of queueing for one each.
/// </summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task Requests_that_arrive_while_the_writer_is_busy_are_stored_together_in_one_commit()
    {
        await using var world = await DeliveryWorld.StartAsync();
        var appender = world.App.Service<OutboxAppender>();
        var gate = world.App.Service<WriteGate>();
        const int requests = 20;

        Task<HttpResponseMessage>[] publishing;
        long commitsBefore;
        // Every connection the gate lends (one on SQLite, several on PostgreSQL), so the appender has to wait.
        var held = new List<WriteGate.WriteLease>();
        for (var i = 0; i < gate.Engine.WriteConnections; i++) held.Add(await gate.EnterAsync(TestContext.Current.CancellationToken));
        try
        {
            commitsBefore = appender.Commits;
            publishing = Enumerable.Range(0, requests).Select(i => world.Admin.PostAsJsonAsync("/api/v1/events",
                new { id = $"evt_group_{i}", @event = "TODO_CREATED", projectId = DeliveryWorld.ProjectId })).ToArray();
            await Eventually.ReturnsAsync(() => Task.FromResult(appender.Unanswered), n => n == requests, "every request to wait for the writer");
        }
        finally
        {
            foreach (var lease in held) lease.Dispose();
        }

        foreach (var response in await Task.WhenAll(publishing))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // The first to arrive opened a commit of its own (it was waiting for the writer); all later ones share the next.
        Assert.InRange(appender.Commits - commitsBefore, 1, 2);
        await using var db = await world.App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(requests, await db.Events.CountAsync(e => e.Id.StartsWith("evt_group_"), TestContext.Current.CancellationToken));
    }

    // SQLite-only: Database:Synchronous and LogFlushes are SQLite's write-ahead log being synced.
    [Theory]
    [Trait("Category", "SqliteOnly")]
    [InlineData(null, true)]
    [InlineData("Full", true)]
    [InlineData("Normal", false)]
    public async Task The_ingestion_commit_is_synced_to_disk_before_the_answer_unless_configured_otherwise(string? setting, bool synced)
    {
        var settings = new Dictionary<string, string?>();
        if (setting is not null) settings["Database:Synchronous"] = setting;
        await using var world = await DeliveryWorld.StartAsync(settings: settings);
        var gate = world.App.Service<WriteGate>();
        var before = gate.LogFlushes;

        // No webhook matches: the ingestion commit is the only write between the two readings.
        await world.PublishAsync();

        Assert.Equal(synced ? 1 : 0, gate.LogFlushes - before);
    }
}
