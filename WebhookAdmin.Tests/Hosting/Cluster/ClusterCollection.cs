using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting.Cluster;

/// <summary>
/// The multi-instance tests: one collection, so its clusters (three app processes each, on 2 cores in CI) start one
/// after another rather than side by side; the rest of the suite still runs beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster";

    /// <summary>Skipped, visibly, unless the tests run on PostgreSQL (<c>.ci/test</c>'s second pass): SQLite is one process by design.</summary>
    public static void RequirePostgres() =>
        Assert.SkipUnless(TestDatabase.OnPostgres,
            $"Several instances share a PostgreSQL database only; set {PostgresTestDatabase.ServerVariable} (the postgres pass of .ci/test does).");
}
