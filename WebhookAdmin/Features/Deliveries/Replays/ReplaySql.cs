namespace WebhookAdmin.Features.Deliveries.Replays;

/// <summary>
/// Every statement that writes a replay's state, and the one description of which deliveries a replay covers (used to
/// count them, for the dry run and at creation, and to hand them to the outbox, so the two cannot disagree).
/// <code>
///  queued ──claim──▶ running ──nothing left──▶ done
///    │                 │ └──webhook disabled or deleted──▶ failed
///    └──cancel─────────┴──▶ cancelled
/// </code>
/// A replay that matches nothing is stored done at once.
/// </summary>
internal static class ReplaySql
{
    private const string Unfinished = "\"State\" IN ('queued', 'running')";

    /// <summary>
    /// One webhook's deliveries that match <paramref name="criteria"/>, with ids in (<c>@after</c>, <c>@upTo</c>]: only
    /// published events (a test send or health check is never sent again). Statuses are validated names, written inline.
    /// </summary>
    public static (string Sql, (string Name, object? Value)[] Values) Matching(string webhookId, ReplayCriteria criteria, long after, long upTo)
    {
        var statuses = string.Join(", ", criteria.Statuses.Select(s => $"'{s.ToName()}'"));
        var sql = $"""
            "WebhookId" = @webhook AND "Id" > @after AND "Id" <= @upTo AND "Status" IN ({statuses})
            AND "CreatedAt" >= @since AND "CreatedAt" <= @until
            """;
        var values = new List<(string, object?)>
        {
            ("@webhook", webhookId), ("@after", after), ("@upTo", upTo), ("@since", criteria.Since), ("@until", criteria.Until),
        };
        if (criteria.EventType is { } type)
        {
            sql += " AND \"EventType\" = @type";
            values.Add(("@type", type));
        }
        if (criteria.ProjectId is { } project)
        {
            sql += " AND \"ProjectId\" = @project";
            values.Add(("@project", project));
        }
        sql += """
             AND EXISTS (SELECT 1 FROM "Events" AS e WHERE e."Id" = "Deliveries"."EventId" AND e."Origin" = 'Published')
            """;
        return (sql, values.ToArray());
    }

    public static string Count(string matching) => $"SELECT COUNT(*) FROM \"Deliveries\" WHERE {matching}";

    public const string NewestDelivery = "SELECT COALESCE(MAX(\"Id\"), 0) FROM \"Deliveries\"";

    public const string UnfinishedOfWebhook = $"SELECT COUNT(*) FROM \"Replays\" WHERE \"WebhookId\" = @webhook AND {Unfinished}";

    public const string Insert = """
        INSERT INTO "Replays" ("Id", "WebhookId", "RequestedById", "RequestedByEmail", "Statuses", "EventType", "ProjectId",
            "Since", "Until", "UpToId", "AfterId", "Count", "Sent", "State", "CreatedAt", "FinishedAt")
        VALUES (@id, @webhook, @by, @email, @statuses, @type, @project, @since, @until, @upTo, 0, @count, 0, @state, @now, @finished)
        """;

    /// <summary>Takes every unfinished replay no other instance holds a live lease on; one instance works each.</summary>
    public const string Claim = $"""
        UPDATE "Replays" SET "State" = 'running', "StartedAt" = COALESCE("StartedAt", @now), "LeaseOwner" = @owner, "LeaseExpiresAt" = @until
        WHERE {Unfinished} AND ("LeaseOwner" IS NULL OR "LeaseOwner" = @owner OR "LeaseExpiresAt" < @now)
        RETURNING "Id"
        """;

    /// <summary>
    /// First in a batch: renews the lease and answers how far the replay has come, or nothing when it is no longer
    /// running under this lease (cancelled meanwhile). On PostgreSQL it also locks the row, so a cancel waits for the batch.
    /// </summary>
    public const string Renew = """
        UPDATE "Replays" SET "LeaseExpiresAt" = @until
        WHERE "Id" = @id AND "State" = 'running' AND "LeaseOwner" = @owner
        RETURNING "AfterId"
        """;

    /// <summary>1 when the webhook can be sent to, 0 when disabled, nothing when deleted.</summary>
    public const string WebhookEnabled = """
        SELECT CASE WHEN "Enabled" = TRUE THEN 1 ELSE 0 END FROM "Webhooks" WHERE "Id" = @webhook AND "DeletedAt" IS NULL
        """;

    /// <summary>What already waits for the webhook or is in flight towards it (all instances): the replay fills only the rest.</summary>
    public const string Outstanding = """
        SELECT COUNT(*) FROM "Deliveries" WHERE "WebhookId" = @webhook AND "Status" IN ('pending', 'delivering')
        """;

    public const string Progress = """
        UPDATE "Replays" SET "Sent" = "Sent" + @sent, "AfterId" = @after WHERE "Id" = @id AND "LeaseOwner" = @owner
        """;

    public const string Finish = """
        UPDATE "Replays" SET "State" = @state, "Error" = @error, "FinishedAt" = @now, "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
        WHERE "Id" = @id AND "State" = 'running' AND "LeaseOwner" = @owner
        """;

    public const string Cancel = $"""
        UPDATE "Replays" SET "State" = 'cancelled', "FinishedAt" = @now, "LeaseOwner" = NULL, "LeaseExpiresAt" = NULL
        WHERE "Id" = @id AND {Unfinished}
        """;
}
