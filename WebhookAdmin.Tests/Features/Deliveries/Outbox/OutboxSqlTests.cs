using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Deliveries.Reasons;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Webhooks;
using static WebhookAdmin.Features.Deliveries.DeliveryStatus;

namespace WebhookAdmin.Tests.Features.Deliveries.Outbox;

/// <summary>
/// Every statement that writes a delivery's status, run on a real migrated SQLite file against a row in each
/// status: it moves exactly the rows its transition starts from, to a status its transition allows, and keeps
/// the invariant that pending rows, and only they (and claimed ones), have a due time.
/// </summary>
// SQLite-only: OutboxSql's statements as written for SQLite, on a SQLite file it builds itself (UseSqlite).
[Trait("Category", "SqliteOnly")]
public sealed class OutboxSqlTests : IAsyncLifetime
{
    private const string Lease = "host:1:abc/1";
    private static readonly string Answered500 = Because.Answered(500, null).ToJson();
    private static readonly string Interrupted = Because.Interrupted.ToJson();
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "wha-tests", Guid.NewGuid().ToString("N"), "outbox.db");
    private SqliteConnection _db = null!;

    private sealed record Case(string Sql, DeliveryTransition Transition, bool PerRow, Func<long, DeliveryStatus, (string, object?)[]> Values, DeliveryStatus Reached);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["Claim"] = new(OutboxSql.Claim, DeliveryLifecycle.Claim, true,
            (id, _) => [("@lease", Lease), ("@until", Now.AddMinutes(1)), ("@ids", $"[{id}]")], Delivering),
        ["ClaimForResend"] = new(OutboxSql.ClaimForResend, DeliveryLifecycle.ClaimForResend, true,
            (id, seen) => [("@lease", Lease), ("@until", Now.AddMinutes(1)), ("@id", id), ("@seen", seen.ToName())], Delivering),
        ["Deliver"] = new(OutboxSql.Deliver, DeliveryLifecycle.Deliver, true,
            (id, _) => [("@id", id), ("@lease", Lease), ("@attempts", 1), ("@scheduled", 1), ("@at", Now), ("@started", Now), ("@code", 200)], Delivered),
        ["Retry"] = new(OutboxSql.Retry, DeliveryLifecycle.Retry, true,
            (id, _) => [("@id", id), ("@lease", Lease), ("@attempts", 1), ("@scheduled", 1), ("@next", Now.AddSeconds(10)),
                ("@started", Now), ("@code", 500), ("@error", "the receiver answered 500"), ("@errorJson", Answered500)], Pending),
        ["Fail"] = new(OutboxSql.Fail, DeliveryLifecycle.Fail, true,
            (id, _) => [("@id", id), ("@lease", Lease), ("@attempts", 5), ("@scheduled", 5), ("@started", Now), ("@code", 500),
                ("@error", "the receiver answered 500"), ("@errorJson", Answered500), ("@awaits", true)], Failed),
        ["Restore"] = new(OutboxSql.Restore, DeliveryLifecycle.Restore, true,
            (id, _) => [("@id", id), ("@lease", Lease), ("@status", "held"), ("@attempts", 2), ("@now", Now), ("@started", Now),
                ("@code", 500), ("@error", "the receiver answered 500"), ("@errorJson", Answered500)], Held),
        ["ReleaseOne"] = new(OutboxSql.ReleaseOne, DeliveryLifecycle.Release, true,
            (id, _) => [("@id", id), ("@lease", Lease), ("@now", Now), ("@reason", "not sent: the app stopped"), ("@reasonJson", Because.AppStopped.ToJson())], Pending),
        ["ReleaseExpired"] = new(OutboxSql.ReleaseExpired, DeliveryLifecycle.Release, false,
            (_, _) => [("@now", Now), ("@reason", "interrupted"), ("@reasonJson", Interrupted)], Pending),
        ["ReleaseAll"] = new(OutboxSql.ReleaseAll, DeliveryLifecycle.Release, false,
            (_, _) => [("@now", Now), ("@reason", "interrupted"), ("@reasonJson", Interrupted)], Pending),
        ["Hold"] = new(OutboxSql.Hold, DeliveryLifecycle.Hold, false, (_, _) => [("@webhook", "wh-on")], Held),
        ["Replay"] = new(OutboxSql.Replay, DeliveryLifecycle.Replay, false, (_, _) => [("@webhook", "wh-on"), ("@now", Now)], Pending),
        ["Skip"] = new(OutboxSql.Skip, DeliveryLifecycle.Skip, false, (_, _) => [("@webhook", "wh-on")], Skipped),
    };

    public static TheoryData<string> Statements => [.. Cases.Keys];

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using (var context = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={_path}").Options))
        {
            await context.Database.MigrateAsync();
            context.Users.Add(new AppUser { Id = "u1", UserName = "u1@test", Email = "u1@test" });
            context.Webhooks.AddRange(Webhook("wh-on"), Webhook("wh-off", enabled: false), Webhook("wh-gone", enabled: false, deleted: true));
            context.Events.AddRange(Event("e-published", EventOrigin.Published), Event("e-test", EventOrigin.Test));
            await context.SaveChangesAsync();
        }
        _db = new SqliteConnection($"Data Source={_path};Pooling=False");
        await _db.OpenAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task A_statement_moves_only_rows_in_the_statuses_its_transition_starts_from(string statement)
    {
        var c = Cases[statement];
        var rows = new Dictionary<DeliveryStatus, long>();
        foreach (var status in Enum.GetValues<DeliveryStatus>())
            rows[status] = await InsertAsync(status, awaitsReplay: status == Failed);

        if (c.PerRow)
            foreach (var (status, id) in rows) await RunAsync(c.Sql, c.Values(id, status));
        else
            await RunAsync(c.Sql, c.Values(0, Pending));

        foreach (var (before, id) in rows)
        {
            var after = await RowAsync(id);
            if (c.Transition.From.Contains(before))
            {
                Assert.Equal(c.Reached, after.Status);
                Assert.Contains(after.Status, c.Transition.To);
            }
            else
            {
                Assert.Equal(before, after.Status);
            }
            AssertDueTimeInvariant(after);
        }
    }

    [Theory]
    [InlineData("wh-on", "pending")]
    [InlineData("wh-off", "held")]
    [InlineData("wh-gone", "skipped")]
    public async Task A_retry_goes_back_to_pending_or_is_held_or_skipped_by_the_webhook_s_state_in_the_same_transaction(string webhook, string expected)
    {
        var id = await InsertAsync(Delivering, webhook);
        await RunAsync(OutboxSql.Retry, Cases["Retry"].Values(id, Delivering));
        var row = await RowAsync(id);
        Assert.Equal(expected, row.Status.ToName());
        AssertDueTimeInvariant(row);
    }

    [Fact]
    public async Task A_released_claim_with_no_due_time_gets_one_and_a_released_test_send_fails_with_the_reason()
    {
        var resend = await InsertAsync(Delivering, withoutDueTime: true);
        var test = await InsertAsync(Delivering, eventId: "e-test", withoutDueTime: true);

        await RunAsync(OutboxSql.ReleaseAll, ("@now", Now), ("@reason", "interrupted"), ("@reasonJson", Interrupted));

        var released = await RowAsync(resend);
        Assert.Equal((Pending, (DateTime?)Now), (released.Status, released.NextAttemptAt));
        var failed = await RowAsync(test);
        Assert.Equal((Failed, "interrupted", Interrupted), (failed.Status, failed.LastError, failed.LastErrorReason));
        Assert.Null(released.LastErrorReason);
        Assert.Null(failed.LeaseOwner);
    }

    [Fact]
    public async Task Writes_after_an_attempt_do_nothing_once_the_row_is_under_another_lease()
    {
        var id = await InsertAsync(Delivering, lease: "someone-else/9");
        foreach (var name in new[] { "Deliver", "Retry", "Fail", "Restore", "ReleaseOne" })
            Assert.Equal(0, await RunAsync(Cases[name].Sql, Cases[name].Values(id, Delivering)));
        Assert.Equal(Delivering, (await RowAsync(id)).Status);
    }

    [Fact]
    public async Task Replay_releases_the_held_rows_and_only_the_failed_ones_that_await_it()
    {
        var held = await InsertAsync(Held);
        var failedIntoDisable = await InsertAsync(Failed, awaitsReplay: true);
        var failedLongAgo = await InsertAsync(Failed);

        await RunAsync(OutboxSql.Replay, ("@webhook", "wh-on"), ("@now", Now));

        Assert.Equal(Pending, (await RowAsync(held)).Status);
        Assert.Equal(Pending, (await RowAsync(failedIntoDisable)).Status);
        Assert.Equal(Failed, (await RowAsync(failedLongAgo)).Status);
    }

    [Theory]
    [InlineData("wh-on", 1, 1, 1)]
    [InlineData("wh-off", 0, 1, 1)]
    [InlineData("wh-gone", 0, 0, 0)]
    public async Task A_webhook_is_disabled_only_when_enabled_and_never_enabled_or_deleted_again_once_deleted(
        string webhook, int disables, int enables, int deletes)
    {
        // Each on a copy of the starting state: the statements are independent checks of one guard each.
        Assert.Equal(disables, await InTransactionAsync(OutboxSql.DisableWebhook, ("@webhook", webhook), ("@reason", "r"), ("@reasonJson", "{}"), ("@now", Now)));
        Assert.Equal(enables, await InTransactionAsync(OutboxSql.EnableWebhook, ("@webhook", webhook), ("@now", Now)));
        Assert.Equal(deletes, await InTransactionAsync(OutboxSql.DeleteWebhook, ("@webhook", webhook), ("@now", Now)));
    }

    private static void AssertDueTimeInvariant(Row row)
    {
        if (row.Status == Pending) Assert.NotNull(row.NextAttemptAt);
        else if (row.Status != Delivering) Assert.Null(row.NextAttemptAt);
    }

    private async Task<long> InsertAsync(DeliveryStatus status, string webhook = "wh-on", string eventId = "e-published",
        bool awaitsReplay = false, string lease = Lease, bool withoutDueTime = false)
    {
        // As the rows stand before a statement: pending ones due a second ago, claimed ones with the time they were claimed with.
        DateTime? due = !withoutDueTime && status is Pending or Delivering ? Now.AddSeconds(-1) : null;
        await using var command = _db.CreateCommand();
        command.CommandText = """
            INSERT INTO "Deliveries" ("WebhookId", "EventId", "EventType", "ProjectId", "Status", "Attempts", "ScheduledAttempts",
                "NextAttemptAt", "CreatedAt", "AwaitsReplay", "LeaseOwner", "LeaseExpiresAt")
            VALUES (@w, @e, 'TODO_CREATED', 'p1', @s, 0, 0, @next, @now, @awaits, @lease, @expires) RETURNING "Id"
            """;
        command.Parameters.AddWithValue("@w", webhook);
        command.Parameters.AddWithValue("@e", eventId);
        command.Parameters.AddWithValue("@s", status.ToName());
        command.Parameters.AddWithValue("@next", (object?)due ?? DBNull.Value);
        command.Parameters.AddWithValue("@now", Now);
        command.Parameters.AddWithValue("@awaits", awaitsReplay);
        command.Parameters.AddWithValue("@lease", status == Delivering ? lease : DBNull.Value);
        // Expired: the lease sweep may take it.
        command.Parameters.AddWithValue("@expires", status == Delivering ? Now.AddMinutes(-1) : DBNull.Value);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> RunAsync(string sql, params (string Name, object? Value)[] values)
    {
        await using var command = _db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in values) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<int> InTransactionAsync(string sql, params (string Name, object? Value)[] values)
    {
        await using var transaction = _db.BeginTransaction();
        await using var command = _db.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in values) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var changed = await command.ExecuteNonQueryAsync();
        await transaction.RollbackAsync();
        return changed;
    }

    private sealed record Row(DeliveryStatus Status, DateTime? NextAttemptAt, string? LastError, string? LeaseOwner, string? LastErrorReason);

    private async Task<Row> RowAsync(long id)
    {
        await using var command = _db.CreateCommand();
        command.CommandText = """SELECT "Status", "NextAttemptAt", "LastError", "LeaseOwner", "LastErrorReason" FROM "Deliveries" WHERE "Id" = @id""";
        command.Parameters.AddWithValue("@id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(DeliveryStatusNames.TryParse(reader.GetString(0), out var status));
        return new Row(status,
            reader.IsDBNull(1) ? null : DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4));
    }

    private static Webhook Webhook(string id, bool enabled = true, bool deleted = false) => new()
    {
        Id = id, Uid = "wh_" + id, OwnerId = "u1", Url = "https://example.com/" + id, Enabled = enabled,
        ProtectedSecret = "x", CreatedAt = Now, UpdatedAt = Now, DeletedAt = deleted ? Now : null,
    };

    private static EventRecord Event(string id, EventOrigin origin) => new()
    {
        Id = id, Type = "TODO_CREATED", ProjectId = "p1", OccurredAt = Now, ReceivedAt = Now, Origin = origin,
    };
}
