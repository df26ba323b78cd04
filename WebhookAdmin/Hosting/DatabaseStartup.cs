using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Hosting;

public static class DatabaseStartup
{
    /// <summary>Migrate (on SQLite also switch the file to WAL), hand back deliveries a killed process had claimed, seed.</summary>
    public static async Task PrepareDatabaseAsync(this IHost app, CancellationToken cancellationToken = default)
    {
        var services = app.Services;
        await services.GetRequiredService<DatabaseEngine>()
            .MigrateAsync(services.GetRequiredService<IDbContextFactory<AppDbContext>>(), cancellationToken);

        await services.GetRequiredService<LeaseRecovery>().RecoverAtStartAsync(cancellationToken);

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Bootstrapper>().RunAsync(cancellationToken);
    }
}
