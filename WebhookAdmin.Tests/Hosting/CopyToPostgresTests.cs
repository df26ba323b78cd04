using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StandardWebhooks;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting;

/// <summary>
/// <c>copy-to-postgres --from &lt;sqlite file&gt;</c> (contract, section 5) as its own process: a SQLite installation with
/// data moves to a new PostgreSQL database, and the app started there goes on as if nothing happened: the same user
/// signs in, the same token authenticates, every webhook signs with the secret it had, the delivery that was in flight is
/// sent, and new rows get new ids. The copy needs a PostgreSQL server to write to, so its tests are skipped without one
/// (the sqlite pass of <c>.ci/test</c>); the postgres pass runs them. Refusals that stop before any database is opened
/// run in both.
/// </summary>
public sealed class CopyToPostgresTests() : WorldTests(options: null)
{
    private const string NeedsServer = "Needs a PostgreSQL server to copy to (" + PostgresTestDatabase.ServerVariable + "; the postgres pass of .ci/test).";
    private const string Password = "C0rrect!horse";
    private readonly List<TestDatabase> _sqlite = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("wha-copy-tests-").FullName;

    public static bool ServerAvailable => PostgresTestDatabase.Server is not null;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = NeedsServer, SkipUnless = nameof(ServerAvailable))]
    public async Task A_copied_installation_serves_on_PostgreSQL_with_its_users_tokens_secrets_and_deliveries()
    {
        var source = NewSqlite();
        var receiver = Receiver;
        receiver.Respond(r => r.Path.StartsWith("/failing", StringComparison.Ordinal) ? ReceiverAnswer.Fail() : ReceiverAnswer.Ok);
        string email = $"copied-{Guid.NewGuid():N}@copy.test", token, inFlightEvent;
        (string Id, string Secret) delivering, failing, inFlight;
        long deliveredId, inFlightId;
        await using (var old = await StartWorldAsync(WorldOptions.Default with { Database = source }))
        {
            delivering = await old.CreateWebhookAsync(receiver.UrlFor("/delivering"));
            failing = await old.CreateWebhookAsync(receiver.UrlFor("/failing"));
            inFlight = await old.CreateWebhookAsync(receiver.UrlFor("/in-flight"));
            // Disabled, its delivery is held: a quiet row that becomes the one "in flight" when the old app is gone.
            await old.Admin.PostOk($"/api/v1/webhooks/{inFlight.Id}/disable", null);
            await old.Admin.PostOk("/api/v1/users", new { email, password = Password }, HttpStatusCode.Created);
            token = (await SignInAsync(old.App, email)).Str("token");

            var first = await old.PublishAsync();
            deliveredId = (await old.WaitForStatusAsync((await old.DeliveryAsync(delivering.Id, first)).GetProperty("id").GetInt64(), "delivered"))
                .GetProperty("id").GetInt64();
            await old.WaitForAttemptsAsync((await old.DeliveryAsync(failing.Id, first)).GetProperty("id").GetInt64(), 1);
            inFlightEvent = first;
            inFlightId = (await old.DeliveryAsync(inFlight.Id, first)).GetProperty("id").GetInt64();
        }
        // What the old app leaves when it is stopped mid-send: a claimed row under its lease.
        await source.ExecuteAsync("""UPDATE "Webhooks" SET "Enabled" = TRUE, "Status" = 'Healthy', "DisabledReason" = NULL, "DisabledAt" = NULL WHERE "Id" = @id""",
            ("@id", inFlight.Id));
        await source.ExecuteAsync("""UPDATE "Deliveries" SET "Status" = 'delivering', "LeaseOwner" = 'old-host:4242:0badf00d', "LeaseExpiresAt" = @lease WHERE "Id" = @id""",
            ("@lease", DateTime.UtcNow.AddMinutes(10)), ("@id", inFlightId));
        var statuses = await source.QueryAsync("""SELECT DISTINCT "Status" FROM "Deliveries" ORDER BY "Status" """);
        Assert.Equal(["delivered", "delivering", "pending"], statuses.Select(s => (string)s[0]!));

        var target = NewDatabase();
        var copy = await CopyAsync(target, "--from", source.SqlitePath!);

        Assert.True(copy.Exit == 0, $"exit {copy.Exit}: {copy.Error}\n{copy.Output}");
        Assert.Contains("1 deliveries were being sent by the old app", copy.Output);
        Assert.Contains("Deliveries.Id → ", copy.Output);
        var counts = await CountsAsync(source);
        // Every table of the source, as many rows in the target (which has more tables: the clustered job store's).
        var copied = await CountsAsync(target);
        Assert.Equal(Listed(counts), Listed(counts.Keys.ToDictionary(t => t, t => copied.GetValueOrDefault(t, -1))));
        Assert.All(["AspNetUsers", "ApiTokens", "DataProtectionKeys", "Webhooks", "Events", "Deliveries", "DeliveryAttempts"],
            table => Assert.True(counts[table] > 0, $"{table} has rows to copy"));
        var released = Assert.Single(await target.QueryAsync("""SELECT "Status", "LeaseOwner", "NextAttemptAt" FROM "Deliveries" WHERE "Id" = @id""", ("@id", inFlightId)));
        Assert.Equal(("pending", null), ((string)released[0]!, released[1]));
        Assert.True(ToUtc(released[2]) <= DateTime.UtcNow, "the released delivery is due now");

        var received = receiver.Requests.Count;
        await using var moved = await StartWorldAsync(WorldOptions.Default with { Database = target, Organization = null });
        // The copied token and password, checked against the copied Identity rows.
        using (var user = moved.App.Api(token)) await user.GetOk("/api/v1/webhooks");
        await SignInAsync(moved.App, email);
        // The in-flight delivery goes out from PostgreSQL, signed with the secret its webhook had on SQLite.
        var sent = await moved.WaitForStatusAsync(inFlightId, "delivered");
        Assert.Equal(1, sent.GetProperty("attempts").GetInt32());
        var resent = await ReceivedAsync(receiver, "/in-flight", inFlightEvent);
        new StandardWebhook(inFlight.Secret).Verify(resent.BodyText, resent.Headers);
        // The attempt log came over with its deliveries.
        Assert.Equal(1, (await moved.DeliveryAsync(deliveredId)).GetProperty("attemptLog").GetArrayLength());

        // New rows after the copied ones: the identities continue.
        var published = await moved.Admin.PostOk("/api/v1/events",
            new { @event = "TODO_CREATED", projectId = DeliveryWorld.ProjectId, currentValue = new { id = "todo_2" } }, HttpStatusCode.Accepted);
        var fresh = await moved.DeliveryAsync(delivering.Id, published.Str("id"));
        Assert.True(fresh.GetProperty("id").GetInt64() > counts["Deliveries"], "a new delivery id after the copied ones");
        await moved.WaitForStatusAsync(fresh.GetProperty("id").GetInt64(), "delivered");
        var signed = await ReceivedAsync(receiver, "/delivering", published.Str("id"));
        new StandardWebhook(delivering.Secret).Verify(signed.BodyText, signed.Headers);
        Assert.True(receiver.Requests.Count > received);
    }

    [Fact(Skip = NeedsServer, SkipUnless = nameof(ServerAvailable))]
    public async Task A_target_that_holds_data_or_a_source_that_is_not_an_installation_is_refused_and_nothing_is_copied()
    {
        var notAnInstallation = Path.Combine(_folder, "empty.db");
        await File.WriteAllBytesAsync(notAnInstallation, [], Ct);
        var target = NewDatabase();
        var refused = await CopyAsync(target, "--from", notAnInstallation);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("is not a WebhookAdmin database", refused.Error);
        Assert.All((await CountsAsync(target)).Where(t => !t.Key.StartsWith("qrtz_", StringComparison.Ordinal)),
            table => Assert.True(table.Value == 0, $"{table.Key} stays empty"));

        // An app started on the target once: it made its administrator and its keys there.
        await using (var started = new TestApp(database: target)) started.StartServer();
        var before = await CountsAsync(target);
        var full = await CopyAsync(target, "--from", notAnInstallation);
        Assert.Equal(1, full.Exit);
        Assert.Contains("already holds data (AspNetUsers", full.Error);
        Assert.Contains("Nothing was copied", full.Error);
        Assert.Equal(before, await CountsAsync(target));
    }

    [Fact]
    public async Task A_copy_without_a_source_or_a_PostgreSQL_target_says_why_and_exits_non_zero()
    {
        var postgres = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = "Host=127.0.0.1;Port=1;Database=never_opened",
        };

        var usage = await CliCommand.RunAsync(_folder, postgres, "copy-to-postgres");
        Assert.Equal(2, usage.Exit);
        Assert.Contains("Usage: copy-to-postgres --from <sqlite file>", usage.Error);

        var missing = await CliCommand.RunAsync(_folder, postgres, "copy-to-postgres", "--from", Path.Combine(_folder, "nothing-here.db"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains("There is no SQLite database at", missing.Error);

        var source = Path.Combine(_folder, "present.db");
        await File.WriteAllBytesAsync(source, [], Ct);
        var sqlite = await CliCommand.RunAsync(_folder, new Dictionary<string, string> { ["ConnectionStrings__Default"] = "Data Source=app.db" },
            "copy-to-postgres", "--from", source);
        Assert.Equal(1, sqlite.Exit);
        Assert.Contains("Database:Provider is Sqlite", sqlite.Error);
        Assert.False(File.Exists(Path.Combine(_folder, "app.db")), "nothing was opened on the configured SQLite database");
    }

    private TestDatabase NewSqlite()
    {
        var database = TestDatabase.Sqlite(Path.Combine(_folder, $"source-{_sqlite.Count}", "app.db"));
        _sqlite.Add(database);
        return database;
    }

    private Task<CliCommand.Outcome> CopyAsync(TestDatabase target, params string[] arguments) =>
        CliCommand.RunAsync(_folder, target.Environment, ["copy-to-postgres", .. arguments]);

    private static async Task<JsonElement> SignInAsync(TestApp app, string email)
    {
        using var anonymous = app.Api(token: null);
        using var response = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = Password, name = "copy" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    private static async Task<ReceivedRequest> ReceivedAsync(TestReceiver receiver, string path, string eventId) =>
        (await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Requests.LastOrDefault(r => r.Path == path && r.Header("webhook-id") == eventId)),
            r => r is not null, $"a request to {path} for {eventId}"))!;

    /// <summary>Rows per table of the app (EF Core's migration history and lock aside), by table name.</summary>
    private static async Task<Dictionary<string, long>> CountsAsync(TestDatabase database)
    {
        await using var connection = await database.OpenAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in await TestDatabase.TablesAsync(connection))
        {
            var name = table[(table.LastIndexOf("\".\"", StringComparison.Ordinal) is var dot and >= 0 ? dot + 2 : 0)..].Trim('"');
            if (name.StartsWith("__EFMigrations", StringComparison.Ordinal)) continue;
            counts[name] = await ScalarAsync(connection, $"SELECT count(*) FROM {table}");
        }
        return counts;
    }

    private static string Listed(Dictionary<string, long> counts) =>
        string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"));

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    private static DateTime ToUtc(object? value) => value switch
    {
        DateTime time => time.ToUniversalTime(),
        string text => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new InvalidOperationException($"Not a time: {value}"),
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var database in _sqlite) await database.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
