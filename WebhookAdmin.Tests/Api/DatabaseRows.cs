using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Api;

/// <summary>Row counts of every table a request can write, read through the app's own DbContext factory.</summary>
public sealed record DatabaseRows(
    int Companies, int Projects, int Memberships, int Users, int Tokens, int Webhooks, int Events, int Deliveries)
{
    public static async Task<DatabaseRows> CountAsync(TestApp app)
    {
        await using var db = await app.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return new DatabaseRows(
            await db.Companies.CountAsync(),
            await db.Projects.CountAsync(),
            await db.Memberships.CountAsync(),
            await db.Users.CountAsync(),
            await db.ApiTokens.CountAsync(),
            // Soft-deleted webhooks are rows too: a bad request must not create one either.
            await db.Webhooks.IgnoreQueryFilters().CountAsync(),
            await db.Events.CountAsync(),
            await db.Deliveries.CountAsync());
    }
}

public static class DatabaseRowsExtensions
{
    public static Task<DatabaseRows> RowsAsync(this TestApp app) => DatabaseRows.CountAsync(app);

    /// <summary>A user's id by email, straight from the database.</summary>
    public static async Task<string> UserIdAsync(this TestApp app, string email)
    {
        await using var db = await app.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }
}
