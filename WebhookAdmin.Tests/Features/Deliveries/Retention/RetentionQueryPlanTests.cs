using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Retention;

/// <summary>
/// Every purge statement finds its rows through an index (SQLite's own query plan says so, on a fresh database with
/// no statistics, as on day one): a purge batch must cost the same with a million rows in the tables as with ten.
/// </summary>
// SQLite-only: SQLite's EXPLAIN QUERY PLAN output (and its index names) is what it reads.
[Trait("Category", "SqliteOnly")]
public sealed class RetentionQueryPlanTests : IAsyncLifetime
{
    private readonly TestApp _app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string> Statements() => new()
    {
        { nameof(RetentionSql.Candidates), "SEARCH d USING INDEX IX_Deliveries_Status_NextAttemptAt_Id_WebhookId (Status=? AND NextAttemptAt=? AND Id>? AND Id<?)" },
        { nameof(RetentionSql.DeleteAttempts), "SEARCH DeliveryAttempts USING COVERING INDEX IX_DeliveryAttempts_DeliveryId_Number (DeliveryId=?)" },
        { nameof(RetentionSql.DeleteDeliveries), "SEARCH Deliveries USING INTEGER PRIMARY KEY (rowid=?)" },
        { nameof(RetentionSql.DeleteEventsLeftAlone), "SEARCH d USING COVERING INDEX IX_Deliveries_EventId (EventId=?)" },
        { nameof(RetentionSql.DeleteUnmatchedEvents), "SEARCH Events USING INDEX IX_Events_Unmatched (ReceivedAt<?)" },
        { nameof(RetentionSql.DeleteRevision), "SEARCH WebhookRevisions USING INDEX sqlite_autoindex_WebhookRevisions_1 (WebhookId=? AND Revision=?)" },
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task A_purge_statement_searches_an_index_and_reads_no_table_whole(string name, string expected)
    {
        var plan = await PlanAsync(name);
        Assert.Contains(expected, plan);
        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN ", StringComparison.Ordinal) && !line.StartsWith("SCAN json_each", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    private async Task<List<string>> PlanAsync(string name)
    {
        var sql = (string)typeof(RetentionSql).GetField(name)!.GetValue(null)!;
        var cancellation = TestContext.Current.CancellationToken;
        await using var db = await _app.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellation);
        await db.Database.OpenConnectionAsync(cancellation);
        await using var command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var parameter in System.Text.RegularExpressions.Regex.Matches(sql, "@[a-zA-Z]+").Select(m => m.Value).Distinct())
            command.Parameters.AddWithValue(parameter, parameter is "@ids" ? "[1]" : parameter is "@cutoff" ? DateTime.UtcNow : 1);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var plan = new List<string>();
        while (await reader.ReadAsync(cancellation)) plan.Add(reader.GetString(3));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", plan));
        return plan;
    }
}
