using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries;

/// <summary>
/// Each filter of the delivery log is answered from an index, not by reading every delivery: SQLite's own
/// query plan for the page query (newest first) says so. The log grows by one row per delivery, forever.
/// </summary>
// SQLite-only: SQLite's EXPLAIN QUERY PLAN output is what it reads.
[Trait("Category", "SqliteOnly")]
public sealed partial class DeliveryLogQueryPlanTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
    private readonly TestApp _app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string> Filters() => ["webhook", "status", "event", "project", "eventId", "status+event", "webhook+status"];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task A_filtered_page_searches_an_index_of_the_deliveries(string filter)
    {
        var plan = await PlanAsync(Admin, filter);
        Assert.DoesNotContain(plan, line => Deliveries().IsMatch(line) && !line.Contains("INDEX", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.StartsWith("SEARCH d USING ", StringComparison.Ordinal) && line.Contains("INDEX", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_time_range_alone_walks_the_log_newest_first_without_sorting_it()
    {
        // Ids grow with CreatedAt, so the newest rows are the range's: reading in id order finds them first, and
        // ListAsync never asks for more rows than its count found, so the walk ends at the range's last row.
        var plan = await PlanAsync(Admin, "since");
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_person_who_is_not_an_administrator_gets_their_webhooks_deliveries_by_index_too()
    {
        var plan = await PlanAsync(new CurrentUser("user-1", "dana@example.com", false, new HashSet<string>()), "none");
        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN ", StringComparison.Ordinal) && !line.Contains("INDEX", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.StartsWith("SEARCH d USING INDEX IX_Deliveries_WebhookId_Id", StringComparison.Ordinal));
    }

    /// <summary>The deliveries table in a plan line (EF names it after the query's lambda parameter, <c>d</c>).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(SCAN|SEARCH) d\b")]
    private static partial System.Text.RegularExpressions.Regex Deliveries();

    private static readonly CurrentUser Admin = new("admin-1", "admin@example.com", true, new HashSet<string>());

    private async Task<List<string>> PlanAsync(CurrentUser user, string filter)
    {
        var deliveryFilter = filter switch
        {
            "webhook" => new DeliveryFilter(WebhookId: "wh"),
            "status" => new DeliveryFilter(Status: DeliveryStatus.Held),
            "event" => new DeliveryFilter(EventType: "TODO_CREATED"),
            "project" => new DeliveryFilter(ProjectId: "acme-web"),
            "eventId" => new DeliveryFilter(EventId: "evt_1"),
            "since" => new DeliveryFilter(Since: Now.AddHours(-1)),
            "status+event" => new DeliveryFilter(Status: DeliveryStatus.Failed, EventType: "TODO_CREATED"),
            "webhook+status" => new DeliveryFilter(WebhookId: "wh", Status: DeliveryStatus.Held),
            _ => new DeliveryFilter(),
        };
        var cancellation = Xunit.TestContext.Current.CancellationToken;
        await using var db = await _app.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellation);
        // ANALYZE-free on purpose: a fresh database is what the planner sees on day one.
        await using var command = DeliveryQueries.Filtered(db, user, deliveryFilter).OrderByDescending(d => d.Id).Take(25).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await db.Database.OpenConnectionAsync(cancellation);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var plan = new List<string>();
        while (await reader.ReadAsync(cancellation)) plan.Add(reader.GetString(3));
        Assert.True(plan.Count > 0, "no plan");
        Xunit.TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", plan));
        return plan;
    }
}
