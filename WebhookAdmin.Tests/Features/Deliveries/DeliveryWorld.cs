using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// The real app with a small organization (company <c>acme</c>, project <c>p1</c>, the admin a member) and the
/// moves delivery tests make: create a webhook, publish, read deliveries, move the fake clock, run the drain.
/// </summary>
public sealed class DeliveryWorld : IAsyncDisposable
{
    public const string ProjectId = "p1";

    /// <summary>
    /// Long enough that the safety-net poll never runs during a test: every send must then come from the
    /// engine's own wake-ups (ingestion, completions, the retry timer), which is what the tests check.
    /// </summary>
    public const string NoPoll = "01:00:00";

    private readonly DrainRuns _drainRuns = new();

    private DeliveryWorld(TestApp app) => App = app;

    public TestApp App { get; }
    public HttpClient Admin { get; private set; } = null!;
    public FakeTimeProvider Time => App.Time ?? throw new InvalidOperationException("This world runs on the real clock.");

    /// <summary>A fake clock that starts at the real "now", so signatures stay within a verifier's tolerance.</summary>
    public static FakeTimeProvider FakeClock() => new(DateTimeOffset.UtcNow);

    public static async Task<DeliveryWorld> StartAsync(
        FakeTimeProvider? time = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null, string? databasePath = null, bool withOrganization = true)
    {
        var world = new DeliveryWorld(new TestApp(settings, time, services, databasePath));
        world.Admin = world.App.Api();
        var scheduler = await world.App.Service<ISchedulerFactory>().GetScheduler();
        scheduler.ListenerManager.AddJobListener(world._drainRuns, [Matchers.Key(OutboxSignal.JobKey)]);
        if (withOrganization)
        {
            await world.Admin.CompanyAsync("acme", "Acme");
            await world.Admin.ProjectAsync(ProjectId, "acme", "Website");
            await world.Admin.MemberAsync(ProjectId, TestApp.AdminEmail, "admin");
        }
        return world;
    }

    public async Task<(string Id, string Secret)> CreateWebhookAsync(string url, params string[] events)
    {
        var created = await Admin.PostOk("/api/v1/webhooks", new { url, events }, HttpStatusCode.Created);
        return (created.Str("id"), created.Str("secret"));
    }

    public async Task<string> PublishAsync(string eventType = "TODO_CREATED", object? currentValue = null)
    {
        var published = await Admin.PostOk("/api/v1/events",
            new { @event = eventType, projectId = ProjectId, currentValue = currentValue ?? new { id = "todo_1", title = "Draft" } },
            HttpStatusCode.Accepted);
        return published.Str("id");
    }

    public Task<JsonElement> WebhookAsync(string id) => Admin.GetOk($"/api/v1/webhooks/{id}");

    public Task<JsonElement> DeliveryAsync(long id) => Admin.GetOk($"/api/v1/deliveries/{id}");

    /// <summary>The one delivery of <paramref name="eventId"/> to <paramref name="webhookId"/>, with its attempt log.</summary>
    public async Task<JsonElement> DeliveryAsync(string webhookId, string eventId)
    {
        var page = await Admin.GetOk($"/api/v1/deliveries?webhookId={webhookId}&eventId={eventId}");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        return await DeliveryAsync(item.GetProperty("id").GetInt64());
    }

    public async Task<List<JsonElement>> DeliveriesAsync(string webhookId)
    {
        var page = await Admin.GetOk($"/api/v1/webhooks/{webhookId}/deliveries?take=200");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    public Task<JsonElement> WaitForDeliveryAsync(long id, Func<JsonElement, bool> done, string what) =>
        Eventually.ReturnsAsync(() => DeliveryAsync(id), done, what);

    public Task<JsonElement> WaitForStatusAsync(long id, string status) =>
        WaitForDeliveryAsync(id, d => d.Str("status") == status, $"delivery {id} to be {status}");

    /// <summary>Waits until the delivery has stored <paramref name="count"/> attempts and is not being sent.</summary>
    public Task<JsonElement> WaitForAttemptsAsync(long id, int count) =>
        WaitForDeliveryAsync(id, d => d.GetProperty("attemptLog").GetArrayLength() >= count && d.Str("status") != "delivering",
            $"delivery {id} to have {count} stored attempts");

    /// <summary>Moves the fake clock to <paramref name="utc"/> (timers due by then fire, as real ones would).</summary>
    public void AdvanceTo(DateTime utc)
    {
        var by = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) - Time.GetUtcNow();
        Assert.True(by >= TimeSpan.Zero, $"The clock cannot go back to {utc:O}.");
        Time.Advance(by);
    }

    /// <summary>
    /// Wakes the drain and returns once a run that started after this call has finished: whatever it could
    /// claim at the current time is then claimed. Lets a test say "it was not sent" without sleeping.
    /// </summary>
    public async Task RunDrainAsync()
    {
        var mark = _drainRuns.Started;
        var signal = App.Service<OutboxSignal>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_drainRuns.LatestFinished <= mark)
        {
            // A wake that lands while a run is starting can fold into that run; waking again starts a fresh one.
            signal.Wake();
            var retry = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            while (_drainRuns.LatestFinished <= mark && DateTime.UtcNow < retry)
                await Task.Delay(20);
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The outbox drain did not run.");
        }
    }

    public static DateTime Date(JsonElement element, string property) =>
        DateTime.SpecifyKind(element.GetProperty(property).GetDateTime().ToUniversalTime(), DateTimeKind.Utc);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>Counts drain runs: each run gets a number when it starts; the highest finished number is kept.</summary>
    private sealed class DrainRuns : IJobListener
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _runs = new();
        private long _started;
        private long _latestFinished;

        public string Name => "test-drain-runs";
        public long Started => Interlocked.Read(ref _started);
        public long LatestFinished => Interlocked.Read(ref _latestFinished);

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            _runs[context.FireInstanceId] = Interlocked.Increment(ref _started);
            return ValueTask.CompletedTask;
        }

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            if (!_runs.TryRemove(context.FireInstanceId, out var run)) return ValueTask.CompletedTask;
            long seen;
            while ((seen = Interlocked.Read(ref _latestFinished)) < run && Interlocked.CompareExchange(ref _latestFinished, run, seen) != seen) { }
            return ValueTask.CompletedTask;
        }

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
