using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Accounts;

/// <summary>API tokens (contract, section 2): shown once, stored hashed, revocable at once, scopes bounded by the user.</summary>
public sealed class ApiTokenTests(ApiWorld world) : IClassFixture<ApiWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    [Fact]
    public async Task A_new_token_is_shown_once_and_the_database_holds_only_its_hash()
    {
        var created = await world.As(world.AliceToken).PostOk("/api/v1/tokens", new { name = "CRM sync", scopes = new[] { "webhooks" } }, HttpStatusCode.Created);
        var token = created.Str("token");

        Assert.Matches("^wha_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(["webhooks"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        await world.As(token).GetOk("/api/v1/webhooks");

        // Listed without the token itself, only a prefix to recognise it by.
        var listed = await world.As(world.AliceToken).GetOk("/api/v1/tokens");
        var entry = listed.EnumerateArray().Single(t => t.Str("id") == created.Str("id"));
        Assert.False(entry.TryGetProperty("token", out _));
        Assert.Equal(token[..8], entry.Str("prefix"));
        Assert.DoesNotContain(token[8..], listed.GetRawText());

        await using (var db = await world.App.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Test.Ct))
        {
            var stored = await db.ApiTokens.SingleAsync(t => t.Id == created.Str("id"), Test.Ct);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), stored.TokenHash);
        }
        // In no row of any table is the token in plain text; on SQLite, nowhere in the file (nor its write-ahead log).
        Assert.Empty(await RowsHoldingAsync(token[8..]));
        if (world.App.Database.SqlitePath is not { } path) return;
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Test.Ct);
            Assert.True(copy.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(token[8..])) < 0, $"{Path.GetFileName(file)} holds the token in plain text");
        }
    }

    [Fact]
    public async Task A_revoked_token_answers_401_at_once_and_leaves_the_list()
    {
        var created = await world.As(world.AliceToken).PostOk("/api/v1/tokens", new { name = "short-lived", scopes = new[] { "webhooks" } }, HttpStatusCode.Created);
        var token = created.Str("token");
        await world.As(token).GetOk("/api/v1/webhooks");  // now in the authentication cache

        using var revoked = await world.As(world.AliceToken).DeleteAsync($"/api/v1/tokens/{created.Str("id")}", Test.Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        using var refused = await world.As(token).GetAsync("/api/v1/webhooks", Test.Ct);
        await refused.AssertProblemAsync(401);
        Assert.DoesNotContain(created.Str("id"), (await world.As(world.AliceToken).GetOk("/api/v1/tokens")).GetRawText());
        using var again = await world.As(world.AliceToken).DeleteAsync($"/api/v1/tokens/{created.Str("id")}", Test.Ct);
        await again.AssertProblemAsync(404);
    }

    [Fact]
    public async Task A_user_who_is_not_an_administrator_gets_no_admin_scoped_token_by_any_route()
    {
        var email = $"plain-{Guid.NewGuid():N}@tokens.test";
        await world.Admin.PostOk("/api/v1/users", new { email, password = "Pl4in!user" }, HttpStatusCode.Created);
        var own = await world.Admin.TokenForAsync(email, "webhooks", "events:publish");
        var rowsBefore = await world.App.RowsAsync();

        using var forSelf = await world.As(own).PostAsJsonAsync("/api/v1/tokens", new { name = "escalate", scopes = new[] { "webhooks", "admin" } }, Test.Ct);
        await forSelf.AssertProblemAsync(403, "scopes");
        using var byAdmin = await world.Admin.PostAsJsonAsync($"/api/v1/users/{email}/tokens", new { name = "escalate", scopes = new[] { "admin" } }, Test.Ct);
        await byAdmin.AssertProblemAsync(403, "scopes");
        using var bySignIn = await world.Anonymous.PostAsJsonAsync("/api/v1/auth/tokens",
            new { email, password = "Pl4in!user", scopes = new[] { "admin" } }, Test.Ct);
        await bySignIn.AssertProblemAsync(403, "scopes");

        Assert.Equal(rowsBefore, await world.App.RowsAsync());
    }

    [Fact]
    public async Task An_administrator_token_made_for_a_user_carries_exactly_the_scopes_asked_for()
    {
        var created = await world.Admin.PostOk("/api/v1/tokens", new { name = "publisher", scopes = new[] { "events:publish", "events:publish" } }, HttpStatusCode.Created);
        Assert.Equal(["events:publish"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        using var webhooks = await world.As(created.Str("token")).GetAsync("/api/v1/webhooks", Test.Ct);
        await webhooks.AssertProblemAsync(403);
        using var directory = await world.As(created.Str("token")).PutAsJsonAsync("/api/v1/companies/scoped", new { name = "x" }, Test.Ct);
        await directory.AssertProblemAsync(403);
    }

    /// <summary>"table.column" of every value, text or bytes, that holds <paramref name="text"/>.</summary>
    private async Task<List<string>> RowsHoldingAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var found = new List<string>();
        await using var connection = await world.App.Database.OpenAsync();
        foreach (var table in await TestDatabase.TablesAsync(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync(Test.Ct);
            while (await reader.ReadAsync(Test.Ct))
                for (var i = 0; i < reader.FieldCount; i++)
                    if (reader.GetValue(i) is string s && s.Contains(text, StringComparison.Ordinal)
                        || reader.GetValue(i) is byte[] b && b.AsSpan().IndexOf(bytes) >= 0)
                        found.Add($"{table}.{reader.GetName(i)}");
        }
        return found;
    }
}
