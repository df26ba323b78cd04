using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Notifications;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Data;

/// <summary>
/// The app's one model. On SQLite this type is the context itself; on PostgreSQL a subclass
/// (<see cref="Postgres.PostgresDbContext"/>) carries the same model with its own migrations (ADR-020).
/// </summary>
public class AppDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options) : base(options)
    {
    }

    /// <summary>For a provider's subclass, whose migrations EF Core finds by the subclass's type.</summary>
    protected AppDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Company> Companies => Set<Company>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectMembership> Memberships => Set<ProjectMembership>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<WebhookRevision> WebhookRevisions => Set<WebhookRevision>();
    public DbSet<EventRecord> Events => Set<EventRecord>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryAttempt> Attempts => Set<DeliveryAttempt>();
    public DbSet<Features.Deliveries.Replays.Replay> Replays => Set<Features.Deliveries.Replays.Replay>();
    public DbSet<NotificationMail> NotificationMails => Set<NotificationMail>();

    /// <summary>Data Protection keys live beside the data they protect, so a restart (or a second instance) can still sign.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Every DateTime is UTC; SQLite keeps no kind, so it is restored on the way out (JSON then ends in Z), and PostgreSQL takes only UTC.</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        builder.Entity<AppUser>().Property(u => u.DisplayName).HasMaxLength(Limits.Name);
        builder.Entity<AppUser>().Property(u => u.Language).HasMaxLength(16);
    }
}
