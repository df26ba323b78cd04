using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Hosting;

public static class DatabaseStartup
{
    /// <summary>Migrate, switch the file to WAL, hand back deliveries a killed process had claimed, seed.</summary>
    public static async Task PrepareDatabaseAsync(this IHost app, CancellationToken cancellationToken = default)
    {
        var services = app.Services;
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await services.GetRequiredService<LeaseRecovery>().RecoverAtStartAsync(cancellationToken);

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Bootstrapper>().RunAsync(cancellationToken);
    }
}
