using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries.Outbox;
using WebhookAdmin.Features.Webhooks.Filters;

namespace WebhookAdmin.Features.Webhooks.Subscriptions;

/// <summary>One webhook as matching and sending need it; secrets still encrypted.</summary>
public sealed record WebhookEntry(
    string Id, string Uid, string OwnerId, string Url, bool Enabled, WebhookStatus Status,
    IReadOnlyList<string> Events, IReadOnlyList<string> ProjectIds,
    string ProtectedSecret, string? ProtectedPreviousSecret, DateTime? PreviousSecretExpiresAt, int Revision,
    CompiledFilter? Filter = null)
{
    public FrozenSet<string> EventSet { get; } = Events.ToFrozenSet(StringComparer.Ordinal);
    public FrozenSet<string> ProjectSet { get; } = ProjectIds.ToFrozenSet(StringComparer.Ordinal);

    public bool Wants(string eventType, string projectId) =>
        (EventSet.Count == 0 || EventSet.Contains(eventType)) && (ProjectSet.Count == 0 || ProjectSet.Contains(projectId));

    /// <summary>Type, project and the record filter (none = every event of the type and project).</summary>
    public bool Wants(string eventType, string projectId, System.Text.Json.JsonElement? previous, System.Text.Json.JsonElement? current) =>
        Wants(eventType, projectId) && (Filter is null || Filter.Matches(previous, current));
}

public sealed record ProjectEntry(string Id, string Name, string CompanyId, string CompanyName);

/// <summary>
/// The webhooks, memberships and projects in memory, so publishing an event and sending it cost no
/// organization queries. Every commit that changes them reaches it through <see cref="AfterCommit"/> (EF saves via
/// <see cref="SubscriptionChangeInterceptor"/>, the outbox's statements directly) and the next reader reloads;
/// a short lifetime bounds staleness for changes made outside this process.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification =
    "An app-lifetime singleton; its one semaphore holds nothing unmanaged, and a load still running at shutdown releases it.")]
public sealed class SubscriptionIndex(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time) : ICommitObserver
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Snapshot? _snapshot;
    private long _version;

    public sealed class Snapshot
    {
        public required long Version { get; init; }
        public required DateTimeOffset LoadedAt { get; init; }
        public required FrozenDictionary<string, WebhookEntry> Webhooks { get; init; }
        public required FrozenDictionary<string, ProjectEntry> Projects { get; init; }

        /// <summary>Project id → webhooks whose owner is a member of it (the only ones that can match).</summary>
        public required FrozenDictionary<string, WebhookEntry[]> ByProject { get; init; }

        /// <summary>
        /// Blue's four rules (listed type or all, listed project or all, owner a member now; disabled ones too: held),
        /// then the webhook's record filter on the event's data, compiled once per snapshot.
        /// </summary>
        public IEnumerable<WebhookEntry> Match(string eventType, string projectId,
            System.Text.Json.JsonElement? previous = null, System.Text.Json.JsonElement? current = null) =>
            ByProject.TryGetValue(projectId, out var candidates) ? candidates.Where(w => w.Wants(eventType, projectId, previous, current)) : [];

        /// <summary>Users who are administrators: their webhooks hear about every webhook's health.</summary>
        public required FrozenSet<string> Admins { get; init; }

        /// <summary>
        /// Who hears a health event about <paramref name="webhookId"/>: webhooks that name the type (projects do not
        /// filter it: it has none), of the same owner or of an administrator, never the webhook itself (it may be the
        /// one failing, and would be told about its own failures through itself). Disabled ones too (held).
        /// A webhook on "every event" (an empty list) does not get them: it was made for the platform's records, and a
        /// CRM receiver must not start getting alerts about other webhooks because someone's receiver failed. Alerts
        /// are asked for by name.
        /// </summary>
        public IEnumerable<WebhookEntry> MatchHealth(string eventType, string webhookId, string ownerId) =>
            Webhooks.Values.Where(w => w.Id != webhookId && (w.OwnerId == ownerId || Admins.Contains(w.OwnerId))
                                       && w.EventSet.Contains(eventType));
    }

    public void Invalidate() => Interlocked.Increment(ref _version);

    public void Committed(CommittedChanges changes)
    {
        if (changes.Subscriptions) Invalidate();
    }

    public async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (IsFresh(snapshot)) return snapshot!;

        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = Volatile.Read(ref _snapshot);
            if (IsFresh(snapshot)) return snapshot!;
            snapshot = await LoadAsync(cancellationToken);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private bool IsFresh(Snapshot? snapshot) =>
        snapshot is not null && snapshot.Version == Interlocked.Read(ref _version) && time.GetUtcNow() - snapshot.LoadedAt < Lifetime;

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        // Read the version first: an invalidation during the load makes this snapshot stale at once.
        var version = Interlocked.Read(ref _version);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var webhooks = (await db.Webhooks.AsNoTracking().ToListAsync(cancellationToken))
            .Select(w => new WebhookEntry(w.Id, w.Uid, w.OwnerId, w.Url, w.Enabled, w.Status, w.Events, w.ProjectIds,
                w.ProtectedSecret, w.ProtectedPreviousSecret, w.PreviousSecretExpiresAt, w.Revision,
                CompiledFilter.From(RecordFilterRules.FromJson(w.FilterJson))))
            .ToList();
        var projects = await db.Projects.AsNoTracking()
            .Select(p => new ProjectEntry(p.Id, p.Name, p.CompanyId, p.Company!.Name))
            .ToListAsync(cancellationToken);
        var memberships = await db.Memberships.AsNoTracking().Select(m => new { m.UserId, m.ProjectId }).ToListAsync(cancellationToken);
        var admins = await db.Users.AsNoTracking().Where(u => u.IsAdmin).Select(u => u.Id).ToListAsync(cancellationToken);

        var byOwner = webhooks.ToLookup(w => w.OwnerId);
        var byProject = memberships
            .GroupBy(m => m.ProjectId)
            .ToFrozenDictionary(g => g.Key, g => g.SelectMany(m => byOwner[m.UserId]).ToArray(), StringComparer.Ordinal);

        return new Snapshot
        {
            Version = version,
            LoadedAt = time.GetUtcNow(),
            Webhooks = webhooks.ToFrozenDictionary(w => w.Id, StringComparer.Ordinal),
            Projects = projects.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal),
            ByProject = byProject,
            Admins = admins.ToFrozenSet(StringComparer.Ordinal),
        };
    }
}
