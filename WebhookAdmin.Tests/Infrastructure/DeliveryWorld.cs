using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>
/// The real app with a receiver on loopback and a small organization (company <c>acme</c>, project <c>p1</c>, the
/// admin a member), and the moves delivery tests make: create a webhook, publish, read deliveries, move the fake
/// clock, run the drain. <see cref="WorldOptions"/> says how a test's world differs; <see cref="WorldTests"/> gives
/// each test one.
/// </summary>
public sealed class DeliveryWorld : IAsyncDisposable
{
    public const string ProjectId = "p1";

    private readonly DrainRuns _drainRuns = new();
    private readonly bool _ownsReceiver;
    private bool _disposed;

    private DeliveryWorld(TestApp app, TestReceiver receiver, bool ownsReceiver, SeedProject? organization)
    {
        App = app;
        Receiver = receiver;
        _ownsReceiver = ownsReceiver;
        Organization = organization;
        Admin = app.Api();
    }

    public TestApp App { get; }
    public TestReceiver Receiver { get; }
    public HttpClient Admin { get; }
    public SeedProject? Organization { get; }
    public FakeTimeProvider Time => App.Time ?? throw new InvalidOperationException("This world runs on the real clock.");

    /// <summary>
    /// A fake clock that starts at the real "now", so signatures stay within a verifier's tolerance, on a whole second:
    /// what the app stores (microseconds on PostgreSQL) is then exactly what the test set.
    /// </summary>
    public static FakeTimeProvider FakeClock() => new(DateTimeOffset.UnixEpoch.AddSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    /// <summary>
    /// The world's settings. On a fake clock Quartz's own schedules (the mail poll, the retention purge) are pushed out
    /// of any test's reach unless the test sets them: Quartz keeps a trigger it has acquired unless a new one fires at
    /// least 7 ms earlier, so a clock held still just before one of them (a test at "a millisecond before the retry",
    /// a retry due on the poll's own 30 s grid) stalls the scheduler for good, and the drain run the test waits for
    /// never comes. The engine's own wake-ups fire at the fake "now", which is never ahead of the clock.
    /// </summary>
    private static Dictionary<string, string?> SettingsOf(WorldOptions options)
    {
        var settings = options.Settings.ToDictionary();
        if (!options.FakeClock) return settings;
        settings.TryAdd("Notifications:PollInterval", WorldOptions.NoPoll);
        settings.TryAdd("Retention:Interval", WorldOptions.NoPoll);
        return settings;
    }

    public static async Task<DeliveryWorld> StartAsync(WorldOptions? options = null)
    {
        options ??= WorldOptions.Default;
        var receiver = options.Receiver ?? await TestReceiver.StartAsync();
        var app = new TestApp(SettingsOf(options), options.FakeClock ? FakeClock() : null, options.Services, options.Database);
        var world = new DeliveryWorld(app, receiver, ownsReceiver: options.Receiver is null, options.Organization);
        try
        {
            var scheduler = await app.Service<ISchedulerFactory>().GetScheduler();
            scheduler.ListenerManager.AddJobListener(world._drainRuns, [Matchers.Key(OutboxSignal.JobKey)]);
            if (options.Organization is { } seed)
            {
                await world.Admin.CompanyAsync(seed.CompanyId, seed.CompanyName);
                await world.Admin.ProjectAsync(seed.ProjectId, seed.CompanyId, seed.ProjectName);
                await world.Admin.MemberAsync(seed.ProjectId, TestApp.AdminEmail, "admin");
            }
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>A world that differs from the plain one only in its settings.</summary>
    public static Task<DeliveryWorld> StartAsync(IReadOnlyDictionary<string, string?> settings) =>
        StartAsync(WorldOptions.Default with { Settings = settings });

    public async Task<(string Id, string Secret)> CreateWebhookAsync(string url, params string[] events)
    {
        var created = await Admin.PostOk("/api/v1/webhooks", new { url, events }, HttpStatusCode.Created);
        return (created.Str("id"), created.Str("secret"));
    }

    /// <summary>Publishes to the seeded project and answers the event's id.</summary>
    public async Task<string> PublishAsync(string eventType = "TODO_CREATED", object? currentValue = null)
    {
        var projectId = Organization?.ProjectId ?? throw new InvalidOperationException("This world has no organization to publish to.");
        var published = await Admin.PostOk("/api/v1/events",
            new { @event = eventType, projectId, currentValue = currentValue ?? new { id = "todo_1", title = "Draft" } },
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
        // Past Quartz's idle wait (30 s): after a jump of the fake clock its scheduler thread has been seen to sleep
        // that long before it fires a triggered job (a known defect, ReceiverSignalTests); the run then still comes.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(70);
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

    /// <summary>
    /// Runs the sweep for expired leases now, then a drain run to send what it gave back. On SQLite the drain sweeps
    /// itself; where instances share the database the sweep is the clustered <see cref="LeaseReapingJob"/>, which runs
    /// on Quartz's wall clock, so its work is done here directly (with the app's clock, as the job does).
    /// </summary>
    public async Task SweepLeasesAsync()
    {
        var leases = App.Service<LeaseRecovery>();
        if (!leases.SweptByDrain) await leases.ReleaseExpiredAsync(CancellationToken.None);
        await RunDrainAsync();
    }

    public static DateTime Date(JsonElement element, string property) =>
        DateTime.SpecifyKind(element.GetProperty(property).GetDateTime().ToUniversalTime(), DateTimeKind.Utc);

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        // The receiver first: it releases hanging requests, so the app's shutdown does not wait for them.
        if (_ownsReceiver) await Receiver.DisposeAsync();
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
