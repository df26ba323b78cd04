using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WebhookAdmin.Data.Postgres;

/// <summary>
/// The app's model on PostgreSQL. A type of its own only so that EF Core keeps a migration set per provider:
/// it finds migrations by the context type they were generated for (<c>dotnet ef migrations add … --context
/// PostgresDbContext</c>, README "Changing the model").
/// </summary>
public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : AppDbContext(options);

/// <summary>What <c>dotnet ef</c> builds the PostgreSQL model with: generating a migration never connects.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=webhookadmin").Options);
}

/// <summary>Hands out the PostgreSQL context wherever the app asks for its <see cref="AppDbContext"/>.</summary>
public sealed class AppContextFactory(IDbContextFactory<PostgresDbContext> inner) : IDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
