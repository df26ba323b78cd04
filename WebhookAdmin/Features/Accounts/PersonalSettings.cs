using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Accounts;

/// <summary>A person's own choices that the server must know when they are not looking: the language and whether to email them.</summary>
public sealed class PersonalSettings(IDbContextFactory<AppDbContext> dbFactory)
{
    public sealed record Choices(string? Email, string Language, bool EmailsOn);

    public async Task<Choices?> ReadAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new Choices(u.Email, u.Language ?? "en", !u.NotificationEmailsOff))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Kept beside the culture cookie, which only the browser that set it sends.</summary>
    public async Task SetLanguageAsync(string userId, string culture, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.Language, culture), cancellationToken);
    }

    public async Task SetEmailsOnAsync(string userId, bool on, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.NotificationEmailsOff, !on), cancellationToken);
    }
}
