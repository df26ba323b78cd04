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
        SELECT w FROM unnest(@webhooks) AS w WHERE pg_try_advisory_xact_lock({LockSpace}, hashtext(w))
        """;

    private const string InFlight = """
        SELECT "WebhookId", COUNT(*) FROM "Deliveries"
        WHERE "Status" = 'delivering' AND "WebhookId" IN (SELECT "value" FROM json_each(@webhooks))
        GROUP BY "WebhookId"
        """;

    /// <summary>Webhook → how many more may be claimed for it now; a webhook missing from it gets none this round.</summary>
    public static async Task<Dictionary<string, int>> RoomAsync(OutboxSession session, IReadOnlyCollection<string> webhooks, int perWebhook)
    {
        var room = new Dictionary<string, int>(StringComparer.Ordinal);
        if (webhooks.Count == 0) return room;
        await using (var reader = await session.ReadAsync(LockWebhooks, CancellationToken.None, ("@webhooks", session.List(webhooks))))
        {
            while (await reader.ReadAsync()) room[reader.GetString(0)] = perWebhook;
        }
        if (room.Count == 0) return room;
        await using (var reader = await session.ReadAsync(InFlight, CancellationToken.None, ("@webhooks", session.List(room.Keys))))
        {
            while (await reader.ReadAsync())
                room[reader.GetString(0)] = Math.Max(0, perWebhook - (int)reader.GetInt64(1));
        }
        return room;
    }
}
