using System.Text.Json;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// <c>Delivery:MaxConcurrencyPerWebhook</c> across every instance on one PostgreSQL database: a claim may take, for
/// each webhook, the limit less what all instances have in flight towards it (its <c>delivering</c> rows). Two claims
/// counting at once could both see room, so a claim first takes a transaction-scoped advisory lock per webhook, and
/// passes over a webhook whose lock another claim holds (that claim takes its rows). The count is read after the
/// lock, in a statement of its own: under read committed it then sees every claim that held the lock before.
/// PostgreSQL only; with SQLite one process owns the database and its dispatcher's lanes are the whole picture.
/// </summary>
internal static class SharedWebhookCap
{
    /// <summary>Advisory locks are one key space per database: the first key keeps these apart from any other use ("WHCP").</summary>
    private const int LockSpace = 0x57484350;

    private static readonly string LockWebhooks = $"""
        SELECT array_agg(w) FROM unnest(@webhooks) AS w WHERE pg_try_advisory_xact_lock({LockSpace}, hashtext(w))
        """;

    /// <summary>One value (a JSON object, webhook → count, or null for none), so it can share the lock's round trip.</summary>
    private const string InFlight = """
        SELECT json_object_agg("WebhookId", "Count") FROM (
            SELECT "WebhookId", COUNT(*) AS "Count" FROM "Deliveries"
            WHERE "Status" = 'delivering' AND "WebhookId" IN (SELECT "value" FROM json_each(@webhooks))
            GROUP BY "WebhookId") AS counted
        """;

    /// <summary>
    /// Webhook → how many more may be claimed for it now; a webhook missing from it gets none this round. The lock and
    /// the count go in one pipelined batch (one round trip): each statement of it still takes its own snapshot under
    /// read committed, so the count, which runs second, sees every claim that held a lock before. It counts every
    /// webhook asked for, locked or not; the ones not locked are dropped here.
    /// </summary>
    public static async Task<Dictionary<string, int>> RoomAsync(OutboxSession session, IReadOnlyCollection<string> webhooks, int perWebhook)
    {
        var room = new Dictionary<string, int>(StringComparer.Ordinal);
        if (webhooks.Count == 0) return room;
        var list = session.List(webhooks);
        string[] locked = [];
        string? inFlight = null;
        session.QueueValue(LockWebhooks, value => locked = value as string[] ?? [], ("@webhooks", list));
        session.QueueValue(InFlight, value => inFlight = value as string, ("@webhooks", list));
        await session.FlushAsync();
        foreach (var webhook in locked) room[webhook] = perWebhook;
        if (room.Count == 0 || inFlight is null) return room;
        foreach (var (webhook, count) in JsonSerializer.Deserialize<Dictionary<string, int>>(inFlight)!)
            if (room.ContainsKey(webhook)) room[webhook] = Math.Max(0, perWebhook - count);
        return room;
    }
}
