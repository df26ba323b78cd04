using System.Globalization;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Api;

/// <summary>
/// The fingerprint that says "this request changed no row", and the SQL tests write behind the app's back, on a bare
/// database of the run's provider (no app): the fingerprint sees an insert, an update and a delete made on another
/// connection, and not a write to the one column every request may touch.
/// </summary>
public sealed class DatabaseFingerprintTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Create();

    public async ValueTask InitializeAsync()
    {
        await _database.ExecuteAsync("""CREATE TABLE "Companies" ("Id" TEXT PRIMARY KEY, "Name" TEXT NOT NULL, "Enabled" BOOLEAN NOT NULL)""");
        await _database.ExecuteAsync("""CREATE TABLE "ApiTokens" ("Id" TEXT PRIMARY KEY, "LastUsedAt" TIMESTAMP WITH TIME ZONE)""");
        await _database.ExecuteAsync("""INSERT INTO "Companies" ("Id", "Name", "Enabled") VALUES ('a', 'A', TRUE), ('b', 'B', FALSE)""");
        await _database.ExecuteAsync("""INSERT INTO "ApiTokens" ("Id", "LastUsedAt") VALUES ('t', NULL)""");
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task The_fingerprint_changes_with_every_insert_update_and_delete_and_only_then()
    {
        await using var fingerprint = await DatabaseFingerprint.OpenAsync(_database);
        var first = await fingerprint.TakeAsync();
        Assert.Equal("", DatabaseFingerprint.Difference(first, await fingerprint.TakeAsync()));
        Assert.Contains(first, t => t.Key.EndsWith("Companies", StringComparison.Ordinal) && t.Value.StartsWith("2 rows", StringComparison.Ordinal));

        await _database.ExecuteAsync("""UPDATE "ApiTokens" SET "LastUsedAt" = @at""", ("@at", DateTime.UtcNow));
        Assert.Equal("", DatabaseFingerprint.Difference(first, await fingerprint.TakeAsync()));

        var renamed = await ChangedAsync(fingerprint, first, """UPDATE "Companies" SET "Name" = @name WHERE "Id" = @id""", ("@name", "A, renamed"), ("@id", "a"));
        var inserted = await ChangedAsync(fingerprint, renamed, """INSERT INTO "Companies" ("Id", "Name", "Enabled") VALUES ('c', 'C', TRUE)""");
        await ChangedAsync(fingerprint, inserted, """DELETE FROM "Companies" WHERE "Id" = 'b'""");
    }

    [Fact]
    public async Task Rows_written_behind_the_apps_back_read_back_with_their_values()
    {
        Assert.Equal(1, await _database.ExecuteAsync("""UPDATE "Companies" SET "Enabled" = TRUE, "Name" = @name WHERE "Id" = @id""",
            ("@name", "B, enabled"), ("@id", "b")));

        var rows = await _database.QueryAsync("""SELECT "Id", "Name", "Enabled" FROM "Companies" ORDER BY "Id" """);

        Assert.Equal([("a", "A", true), ("b", "B, enabled", true)],
            rows.Select(r => ((string)r[0]!, (string)r[1]!, Convert.ToBoolean(r[2], CultureInfo.InvariantCulture))));
    }

    /// <summary>Runs a write on another connection, as the app's are, and answers the fingerprint after it.</summary>
    private async Task<IReadOnlyDictionary<string, string>> ChangedAsync(DatabaseFingerprint fingerprint,
        IReadOnlyDictionary<string, string> before, string sql, params (string Name, object? Value)[] parameters)
    {
        Assert.Equal(1, await _database.ExecuteAsync(sql, parameters));
        var after = await fingerprint.TakeAsync();
        Assert.Matches("^[^;]*Companies: ", DatabaseFingerprint.Difference(before, after));
        return after;
    }
}
