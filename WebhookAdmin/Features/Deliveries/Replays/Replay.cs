using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Deliveries.Replays;

/// <summary>
/// "Send these deliveries again": a persisted job, worked a batch at a time by <see cref="ReplayWorker"/>. The
/// criteria are kept as asked; <see cref="UpToId"/> fixes which deliveries existed when it was asked, so one
/// created later is never part of it, and <see cref="AfterId"/> is how far it has come (deliveries are taken in id order).
/// Every write of its state is in <see cref="ReplaySql"/>.
/// </summary>
public sealed class Replay
{
    public required string Id { get; init; }
    public required string WebhookId { get; init; }
    public Webhook? Webhook { get; init; }

    /// <summary>Who asked: the user's id and email as they were then (the user may be gone later).</summary>
    public required string RequestedById { get; init; }
    public required string RequestedByEmail { get; init; }

    /// <summary>The statuses asked for, as their contract names, comma separated.</summary>
    public required string Statuses { get; init; }
    public string? EventType { get; init; }
    public string? ProjectId { get; init; }
    public DateTime Since { get; init; }
    public DateTime Until { get; init; }

    public long UpToId { get; init; }
    public long AfterId { get; set; }

    /// <summary>How many deliveries matched when it was asked (what the dry run answers).</summary>
    public int Count { get; init; }

    /// <summary>How many have been handed back to the outbox (made pending again); the outbox sends them.</summary>
    public int Sent { get; set; }

    public ReplayState State { get; set; }
    public string? Error { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>The instance working it and until when: only one instance works a given replay.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
}

public enum ReplayState { Queued, Running, Done, Cancelled, Failed }

public static class ReplayStateNames
{
    public static string ToName(this ReplayState state) => state.ToString().ToLowerInvariant();

    public static bool IsFinished(this ReplayState state) => state is ReplayState.Done or ReplayState.Cancelled or ReplayState.Failed;

    internal static readonly ValueConverter<ReplayState, string> Converter = new(
        state => state.ToName(),
        name => Enum.Parse<ReplayState>(name, ignoreCase: true));
}

internal sealed class ReplayConfiguration : IEntityTypeConfiguration<Replay>
{
    public void Configure(EntityTypeBuilder<Replay> replay)
    {
        replay.Property(r => r.Id).HasMaxLength(40);
        replay.Property(r => r.WebhookId).HasMaxLength(40);
        replay.Property(r => r.RequestedById).HasMaxLength(450);
        replay.Property(r => r.RequestedByEmail).HasMaxLength(256);
        replay.Property(r => r.Statuses).HasMaxLength(64);
        replay.Property(r => r.EventType).HasMaxLength(64);
        replay.Property(r => r.ProjectId).HasMaxLength(Limits.ExternalId);
        replay.Property(r => r.State).HasConversion(ReplayStateNames.Converter).HasMaxLength(16);
        replay.Property(r => r.Error).HasMaxLength(500);
        replay.Property(r => r.LeaseOwner).HasMaxLength(64);
        replay.HasOne(r => r.Webhook).WithMany().HasForeignKey(r => r.WebhookId).OnDelete(DeleteBehavior.Cascade);
        // A webhook's replays, newest first; the worker looks for the unfinished ones.
        replay.HasIndex(r => new { r.WebhookId, r.CreatedAt });
        replay.HasIndex(r => r.State);
    }
}
