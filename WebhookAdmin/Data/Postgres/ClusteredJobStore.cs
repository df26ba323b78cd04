using Quartz;

namespace WebhookAdmin.Data.Postgres;

/// <summary>
/// Quartz's clustered ADO.NET job store on the app's own PostgreSQL database (ADR-021): the scheduler for work that
/// must run once per cluster, not once per instance. Its tables are Quartz's own PostgreSQL script for this version,
/// created by the migration <c>QuartzClusterTables</c>; Quartz only checks at start that they are there.
/// </summary>
public static class ClusteredJobStore
{
    /// <summary>As Quartz's script names the tables: unquoted, lower case (PostgreSQL folds unquoted names to it).</summary>
    public const string TablePrefix = "qrtz_";

    /// <summary>
    /// How long an idle node waits before it looks at the tables again: how late it notices a trigger another node
    /// released (a graceful stop) or recovered (a dead node). Quartz refuses less than a second; each look takes the
    /// <c>TRIGGER_ACCESS</c> row lock in <c>qrtz_locks</c>, which every node's acquisition queues on.
    /// </summary>
    public static readonly TimeSpan IdleWaitTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A trigger later than this is a misfire, moved to its next slot (the jobs' instruction); within it, a late run
    /// fires at once, so this bounds how much catch-up one pause can cause (five lease sweeps at most).
    /// </summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A node checks in this often, and is declared dead (its triggers recovered by another) after missing it by
    /// <see cref="CheckinMisfireThreshold"/>: generous, because a live node declared dead runs beside its successor
    /// (quartznet#2817, #683), and failover within half a minute is plenty for what runs here.
    /// </summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan CheckinMisfireThreshold = TimeSpan.FromSeconds(20);

    public static IQuartzBuilder UseClusteredJobStore(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        quartz.ConfigureScheduler(scheduler =>
        {
            scheduler.IdleWaitTime = IdleWaitTime;
            // One trigger per acquisition: misfires running on two nodes were seen more with batches (quartznet#1758).
            scheduler.MaxBatchSize = 1;
        });
        // Two jobs, neither concurrent with itself.
        quartz.UseDefaultThreadPool(maxConcurrency: 2);
        // The wall clock, not the app's TimeProvider: check-ins and fire times are compared between nodes, so a clock
        // of one instance's own (a test's fake one) must not move the cluster's schedule. The jobs read the app's.
        quartz.UseTimeProvider(TimeProvider.System);
        quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(source => source.ConnectionString = PostgresEngine.ConnectionFor(configuration));
            store.UseClustering(cluster =>
            {
                cluster.CheckinInterval = CheckinInterval;
                cluster.CheckinMisfireThreshold = CheckinMisfireThreshold;
            });
            store.ConfigureStore(options =>
            {
                options.TablePrefix = TablePrefix;
                options.MisfireThreshold = MisfireThreshold;
            });
            // The jobs carry no data; a persistent store wants a serializer all the same.
            store.UseSystemTextJsonSerializer();
        });
        return quartz;
    }
}
