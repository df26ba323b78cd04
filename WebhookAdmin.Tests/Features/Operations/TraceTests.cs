using System.Collections.Concurrent;
using System.Diagnostics;
using WebhookAdmin.Features.Deliveries.Tracing;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Operations;

/// <summary>
/// An event's trace, as an in-process listener of the <c>WebhookAdmin</c> source sees it: the ingestion request,
/// the event stored and each attempt share one trace id and carry the event id, a retry included.
/// </summary>
public sealed class TraceTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private ActivityListener _listener = null!;
    private TestReceiver _receiver = null!;
    private DeliveryWorld _world = null!;

    public async ValueTask InitializeAsync()
    {
        // Process-wide: other tests' apps are traced too while this runs, so everything below is found by event id.
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EventTrace.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _receiver = await TestReceiver.StartAsync();
        _world = await DeliveryWorld.StartAsync(new WorldOptions { FakeClock = true, Receiver = _receiver });
    }

    public async ValueTask DisposeAsync()
    {
        await _world.DisposeAsync();
        await _receiver.DisposeAsync();
        _listener.Dispose();
    }

    [Fact]
    public async Task One_publish_is_one_trace_from_the_ingestion_request_to_each_attempt_carrying_the_event_id()
    {
        // The first attempt fails; its retry, made when the clock reaches it, is read from the database's trace context.
        var answers = 0;
        _receiver.Respond(_ => Interlocked.Increment(ref answers) == 1 ? ReceiverAnswer.Fail(503) : ReceiverAnswer.Ok);
        var (webhookId, _) = await _world.CreateWebhookAsync(_receiver.UrlFor());
        var eventId = await _world.PublishAsync();
        var delivery = await _world.DeliveryAsync(webhookId, eventId);
        var deliveryId = delivery.GetProperty("id").GetInt64();
        await _world.WaitForAttemptsAsync(deliveryId, 1);
        _world.AdvanceTo(DeliveryWorld.Date(await _world.DeliveryAsync(deliveryId), "nextAttemptAt"));
        await _world.WaitForStatusAsync(deliveryId, "delivered");

        var mine = await Eventually.ReturnsAsync(() => Task.FromResult(Of(eventId)), a => a.Count(x => x.OperationName == EventTrace.AttemptName) == 2,
            "both attempts' activities to stop");
        var ingestion = Assert.Single(mine, a => a.OperationName == EventTrace.IngestionName);
        var stored = Assert.Single(mine, a => a.OperationName == EventTrace.EventName);
        var attempts = mine.Where(a => a.OperationName == EventTrace.AttemptName).OrderBy(a => a.StartTimeUtc).ToList();

        Assert.All(mine, a => Assert.Equal(ingestion.TraceId, a.TraceId));
        Assert.Equal(ingestion.SpanId, stored.ParentSpanId);
        Assert.All(attempts, a => Assert.Equal(stored.SpanId, a.ParentSpanId));
        Assert.Equal([1, 2], attempts.Select(a => (int)a.GetTagItem(EventTrace.Tags.AttemptNumber)!));
        Assert.Equal(["failed", "delivered"], attempts.Select(a => (string)a.GetTagItem(EventTrace.Tags.Outcome)!));
        Assert.All(attempts, a =>
        {
            Assert.Equal(deliveryId, (long)a.GetTagItem(EventTrace.Tags.DeliveryId)!);
            Assert.Equal(webhookId, a.GetTagItem(EventTrace.Tags.WebhookId));
            Assert.Equal(ActivityKind.Client, a.Kind);
        });
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);

        // Kept with the event, so an attempt made after a restart joins the same trace; receivers get no trace header.
        Assert.Equal(stored.Id, await StoredTraceParentAsync(eventId));
        Assert.All(_receiver.Requests, r => Assert.Equal("", r.Header("traceparent")));
    }

    /// <summary>The activities of one event: every one carries its id.</summary>
    private List<Activity> Of(string eventId) =>
        _stopped.Where(a => Equals(a.GetTagItem(EventTrace.Tags.EventId), eventId)).ToList();

    private async Task<string?> StoredTraceParentAsync(string eventId)
    {
        var rows = await _world.App.Database.QueryAsync("""SELECT "TraceParent" FROM "Events" WHERE "Id" = @id""", ("@id", eventId));
        return Assert.Single(rows)[0] as string;
    }
}
