using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries.Outbox;

namespace WebhookAdmin.Features.Webhooks.Subscriptions;

/// <summary>
/// After any saved change to webhooks, memberships, projects, companies or users, publishes "subscriptions
/// changed" through the one after-commit path (<see cref="AfterCommit"/>), so no service has to remember to
/// and the <see cref="SubscriptionIndex"/> hears of it like every other observer. The outbox's own statements
/// (disable, enable, delete) publish their changes themselves.
/// </summary>
public sealed class SubscriptionChangeInterceptor(Lazy<AfterCommit> afterCommit) : SaveChangesInterceptor
{
    // Contexts whose save touches the index; invalidated after the commit, so a reader cannot reload the old state in between.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Mark(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Flush(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Flush(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    private void Mark(DbContext? context)
    {
        if (Touches(context)) _pending.AddOrUpdate(context!, this);
    }

    private void Flush(DbContext? context)
    {
        if (context is not null && _pending.Remove(context))
            afterCommit.Value.Publish(CommittedChanges.OfSubscriptions());
    }

    private static bool Touches(DbContext? context) =>
        context is not null && context.ChangeTracker.Entries().Any(e =>
            e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted &&
            e.Entity is Webhook or ProjectMembership or Project or Company or AppUser);
}
