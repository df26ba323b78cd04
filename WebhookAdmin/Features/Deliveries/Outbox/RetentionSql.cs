namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// The statements of the retention purge, beside <see cref="OutboxSql"/>: the outbox owns delivery rows from their
/// insert to their delete (ADR-011). Each one is bounded by a batch of ids or a <c>LIMIT</c>, so it holds the write
/// gate for milliseconds, and each delete repeats the condition that chose its rows.
/// </summary>
internal static class RetentionSql
{
    /// <summary>
    /// Only finished deliveries are ever deleted: never pending, held or in flight. Used with a unary plus, so that
    /// SQLite finds the rows by their ids rather than by walking every finished row of the status index (it did).
    /// </summary>
    private static readonly string Finished =
        $"\"Status\" IN ({string.Join(", ", RetentionRules.Finished.Select(s => $"'{s.ToName()}'"))})";

    /// <summary>
    /// One batch of finished deliveries in id order, from the claim index (status, due time, id): finished rows have
    /// no due time, so this is a range of ids within one status, read without sorting. It answers every row it
    /// reads (not only expired ones), so a batch reads at most <c>@limit</c> rows whatever it finds; which of them
    /// go is decided in code (<see cref="RetentionRules.Expired"/>). The last column says whether a failed
    /// delivery awaits the replay of a webhook that still exists.
    /// </summary>
    public const string Candidates = """
        SELECT d."Id", d."EventId", COALESCE(d."LastAttemptAt", d."CreatedAt"),
               d."AwaitsReplay" = TRUE AND EXISTS (SELECT 1 FROM "Webhooks" AS w WHERE w."Id" = d."WebhookId" AND w."DeletedAt" IS NULL)
        FROM "Deliveries" AS d
        WHERE d."Status" = @status AND d."NextAttemptAt" IS NULL AND d."Id" > @after AND d."Id" <= @upTo
        ORDER BY d."Id"
        LIMIT @limit
        """;

    /// <summary>The attempts of the chosen deliveries, first: every attempt is a row of its own (and most of the bytes).</summary>
    public static readonly string DeleteAttempts = $"""
        DELETE FROM "DeliveryAttempts"
        WHERE "DeliveryId" IN (SELECT "Id" FROM "Deliveries" WHERE "Id" IN (SELECT "value" FROM json_each(@ids)) AND +{Finished})
        """;

    public static readonly string DeleteDeliveries = $"""
        DELETE FROM "Deliveries" WHERE "Id" IN (SELECT "value" FROM json_each(@ids)) AND +{Finished}
        """;

    /// <summary>The events of a purged batch that have no delivery left (another webhook's may still be kept).</summary>
    public const string DeleteEventsLeftAlone = """
        DELETE FROM "Events"
        WHERE "Id" IN (SELECT "value" FROM json_each(@ids))
          AND NOT EXISTS (SELECT 1 FROM "Deliveries" AS d WHERE d."EventId" = "Events"."Id")
        """;

    /// <summary>
    /// Events that matched no webhook when they were published (their own partial index), oldest first; the delete
    /// checks again that nothing points at them.
    /// </summary>
    public const string DeleteUnmatchedEvents = """
        DELETE FROM "Events"
        WHERE "Id" IN (SELECT "Id" FROM "Events" WHERE "DeliveryCount" = 0 AND "ReceivedAt" < @cutoff ORDER BY "ReceivedAt" LIMIT @limit)
          AND NOT EXISTS (SELECT 1 FROM "Deliveries" AS d WHERE d."EventId" = "Events"."Id")
        """;

    /// <summary>One revision no attempt points at; never the webhook's current one, whatever the caller decided.</summary>
    public const string DeleteRevision = """
        DELETE FROM "WebhookRevisions"
        WHERE "WebhookId" = @webhook AND "Revision" = @revision
          AND "Revision" < (SELECT w."Revision" FROM "Webhooks" AS w WHERE w."Id" = @webhook)
        """;
}
