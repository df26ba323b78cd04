using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// Work that must run once per cluster (ADR-021): on PostgreSQL the retention purge and the lease sweep run on Quartz's
/// clustered job store, once between all instances; on SQLite the purge runs on the instance's own scheduler, the
/// drain sweeps leases itself, and nothing clustered exists. A test about one provider is skipped on the other.
/// </summary>
public sealed class OncePerClusterTests() : WorldTests(options: null)
{
    private static void OnPostgresOnly() =>
        Assert.SkipUnless(TestDatabase.OnPostgres, "Instances share a database only on PostgreSQL (WEBHOOKADMIN_TEST_POSTGRES).");

    private static readonly string[] QuartzTables =
    [
        "qrtz_blob_triggers", "qrtz_calendars", "qrtz_cron_triggers", "qrtz_execution_history", "qrtz_fired_triggers",
        "qrtz_job_details", "qrtz_job_status", "qrtz_locks", "qrtz_misfire_history", "qrtz_paused_job_grps",
        "qrtz_paused_trigger_grps", "qrtz_scheduler_state", "qrtz_simple_triggers", "qrtz_simprop_triggers", "qrtz_triggers",
    ];

    [Fact]
    public async Task On_postgres_the_migration_makes_quartzs_tables_and_every_instance_joins_one_cluster_that_holds_the_purge_and_the_sweep()
    {
        OnPostgresOnly();
        var database = NewDatabase();
        var first = await StartWorldAsync(WorldOptions.Default with { Database = database });
        var second = await StartWorldAsync(WorldOptions.Default with { Database = database, Organization = null });

        Assert.Equal(QuartzTables, await QuartzTablesAsync(database));
        // Each instance checks in under its own id: its lease prefix, so a row here names the instance behind it.
        var nodes = await Eventually.ReturnsAsync(
            () => database.QueryAsync("SELECT instance_name FROM qrtz_scheduler_state WHERE sched_name = @name", ("@name", OncePerCluster.SchedulerName)),
            rows => rows.Count == 2, "both instances to check in to the cluster");
        Assert.Equal(new[] { first, second }.Select(w => w.App.Service<OutboxInstance>().Id).Order(), nodes.Select(r => (string)r[0]!).Order());
        // One schedule, stored once, however many instances declared it.
        var triggers = await database.QueryAsync("SELECT trigger_name FROM qrtz_triggers WHERE sched_name = @name ORDER BY trigger_name", ("@name", OncePerCluster.SchedulerName));
        Assert.Equal(["lease-reaping-schedule", "retention-purge-schedule"], triggers.Select(r => (string)r[0]!));

        foreach (var world in new[] { first, second })
        {
            var clustered = await ClusterSchedulerAsync(world.App);
            Assert.True((await clustered.GetMetadata(Test.Ct)).JobStoreClustered);
            Assert.NotNull(await clustered.GetJobDetail(RetentionJob.Key, Test.Ct));
            Assert.NotNull(await clustered.GetJobDetail(LeaseReapingJob.Key, Test.Ct));
            // The instance's own scheduler keeps only what is per instance: the drain (and the mail poll).
            var own = await world.App.Service<ISchedulerFactory>().GetScheduler(Test.Ct);
            Assert.False((await own.GetMetadata(Test.Ct)).JobStoreClustered);
            Assert.NotNull(await own.GetJobDetail(OutboxSignal.JobKey, Test.Ct));
            Assert.Null(await own.GetJobDetail(RetentionJob.Key, Test.Ct));
        }
    }

    [Fact]
    public async Task On_postgres_two_instances_run_each_purge_once_between_them_and_one_carries_on_alone_when_the_other_stops()
    {
        OnPostgresOnly();
        var database = NewDatabase();
        var settings = WorldOptions.Default.With("Retention:Interval", "00:00:01") with { Database = database };
        var first = await StartWorldAsync(settings);
        var second = await StartWorldAsync(settings with { Organization = null });
        var runs = new PurgeRuns();
        await runs.ListenToAsync(first.App, "first");
        await runs.ListenToAsync(second.App, "second");

        await Eventually.ReturnsAsync(() => Task.FromResult(runs.Count), n => n >= 5, "five purge runs between the two instances", TimeSpan.FromSeconds(60));
        Assert.Empty(runs.RunTwice());
        // One schedule between them, not one each: every run is on the one trigger's whole seconds.
        Assert.Empty(runs.OffTheGrid(TimeSpan.FromSeconds(1)));

        // A graceful stop hands its triggers back: the other instance takes the schedule over.
        await first.DisposeAsync();
        var before = runs.By("second");
        await Eventually.ReturnsAsync(() => Task.FromResult(runs.By("second")), n => n >= before + 3, "three more purge runs on the instance left", TimeSpan.FromSeconds(60));
        Assert.Empty(runs.RunTwice());
        Assert.Empty(runs.OffTheGrid(TimeSpan.FromSeconds(1)));
    }

    // Both providers: on PostgreSQL the clustered sweep takes the lease back, on SQLite the drain's own sweep. A quarter
    // of a 4 s lease is the shortest interval there is, a second.
    [Fact]
    public async Task An_expired_lease_is_taken_back_and_its_delivery_sent_again()
    {
        var world = await StartWorldAsync(WorldOptions.Default.With("Delivery:LeaseDuration", "00:00:04").With("Delivery:Timeout", "00:00:02"));
        var (webhookId, _) = await world.CreateWebhookAsync(Receiver.UrlFor());
        var id = (await world.DeliveryAsync(webhookId, await world.PublishAsync())).GetProperty("id").GetInt64();
        await world.WaitForStatusAsync(id, "delivered");

        // What an instance that died mid-send leaves: the row claimed under its lease, which ran out a minute ago.
        Assert.Equal(1, await world.App.Database.ExecuteAsync("""
            UPDATE "Deliveries" SET "Status" = 'delivering', "LeaseOwner" = 'dead-host:1:0badf00d/1', "LeaseExpiresAt" = @lease
            WHERE "Id" = @id
            """, ("@lease", DateTime.UtcNow.AddMinutes(-1)), ("@id", id)));

        var delivery = await world.WaitForAttemptsAsync(id, 2);
        Assert.Equal("delivered", delivery.Str("status"));
        Assert.Equal(2, (await Receiver.WaitForAsync(2)).Count);
    }

    [Fact]
    public async Task On_sqlite_nothing_is_clustered_and_the_purge_stays_on_the_instances_own_scheduler()
    {
        Assert.SkipWhen(TestDatabase.OnPostgres, "On PostgreSQL the cluster is what the other tests here check.");
        var world = await StartWorldAsync(WorldOptions.Default);

        Assert.Null(world.App.Services.GetKeyedService<ISchedulerFactory>(OncePerCluster.SchedulerName));
        var own = await world.App.Service<ISchedulerFactory>().GetScheduler(Test.Ct);
        Assert.False((await own.GetMetadata(Test.Ct)).JobStoreClustered);
        Assert.NotNull(await own.GetJobDetail(RetentionJob.Key, Test.Ct));
        // The drain sweeps leases itself: there is no job for it.
        Assert.Null(await own.GetJobDetail(LeaseReapingJob.Key, Test.Ct));
        Assert.Empty(await QuartzTablesAsync(world.App.Database));
    }

    private static async Task<List<string>> QuartzTablesAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return [.. (await TestDatabase.TablesAsync(connection))
            .Select(t => t.Replace("\"", "", StringComparison.Ordinal)).Select(t => t[(t.LastIndexOf('.') + 1)..])
            .Where(t => t.StartsWith("qrtz_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    private static Task<IScheduler> ClusterSchedulerAsync(TestApp app) =>
        app.Services.GetRequiredKeyedService<ISchedulerFactory>(OncePerCluster.SchedulerName).GetScheduler(Test.Ct).AsTask();

    /// <summary>Every purge run each instance starts, by the time it was scheduled for.</summary>
    private sealed class PurgeRuns
    {
        private readonly ConcurrentQueue<(string Instance, DateTimeOffset Scheduled)> _runs = new();

        public int Count => _runs.Count;

        public int By(string instance) => _runs.Count(r => r.Instance == instance);

        /// <summary>Scheduled times that started more than once, on one instance or on both.</summary>
        public List<DateTimeOffset> RunTwice() => [.. _runs.GroupBy(r => r.Scheduled).Where(g => g.Count() > 1).Select(g => g.Key)];

        /// <summary>
        /// Runs not a whole number of intervals from the first: a schedule of their own (two instances each with their
        /// own trigger would start a fraction of a second apart), or one restarted by a replaced trigger.
        /// </summary>
        public List<DateTimeOffset> OffTheGrid(TimeSpan interval)
        {
            var first = _runs.Min(r => r.Scheduled);
            return [.. _runs.Select(r => r.Scheduled).Where(s => (s - first).Ticks % interval.Ticks != 0)];
        }

        public async Task ListenToAsync(TestApp app, string instance)
        {
            var scheduler = await ClusterSchedulerAsync(app);
            scheduler.ListenerManager.AddJobListener(new Listener(this, instance), [Matchers.Key(RetentionJob.Key)]);
        }

        private sealed class Listener(PurgeRuns runs, string instance) : IJobListener
        {
            public string Name => $"test-purge-runs-{instance}";

            public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
            {
                runs._runs.Enqueue((instance, context.ScheduledFireTimeUtc ?? context.FireTimeUtc));
                return ValueTask.CompletedTask;
            }

            public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) =>
                ValueTask.CompletedTask;

            public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
        }
    }
}
