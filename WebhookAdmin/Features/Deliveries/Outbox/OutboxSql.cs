namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>
/// Every statement that writes a delivery's status or a webhook's sending state, in one place. Each is built
/// from its transition (<see cref="DeliveryLifecycle"/>, <see cref="WebhookSendingLifecycle"/>) and carries
/// its guard, and keeps one invariant: every pending row has a due time (<c>NextAttemptAt</c>), so the claim
/// finds it, and no held, failed, delivered or skipped row has one (a claimed row keeps the time it was claimed
/// with until it is released). Plain SQL with quoted identifiers: it runs per row at full rate, where EF cost more than the
/// database (ADR-009). The same text runs on PostgreSQL (booleans as TRUE and FALSE, which SQLite reads as 1 and 0;
/// lists through <see cref="Data.DatabaseEngine.Translate"/>).
/// </summary>
internal static class OutboxSql
{
    /// <summary>Leaving <c>delivering</c> always gives the lease up.</summary>
    private const string ClearLease = "\"LeaseOwner\" = NULL, \"LeaseExpiresAt\" = NULL";

    /// <summary>Writes after an attempt go through only while the row is still under the lease that claimed it.</summary>
    private const string Fenced = "\"Id\" = @id AND \"LeaseOwner\" = @lease";

    /// <summary>
    /// Back to the outbox: pending, unless the webhook was disabled (held) or deleted (skipped) meanwhile. Read
    /// from the webhook's row inside the transaction, so a disable or delete that committed a moment ago counts.
    /// </summary>
    private const string BackToOutbox = """
        COALESCE((SELECT CASE WHEN w."DeletedAt" IS NOT NULL THEN 'skipped' WHEN w."Enabled" = FALSE THEN 'held' ELSE 'pending' END
                  FROM "Webhooks" AS w WHERE w."Id" = "Deliveries"."WebhookId"), 'skipped')
        """;

    /// <summary>Only pending rows have a due time: <paramref name="due"/> if the row goes back to pending, else none.</summary>
    private static string DueIfPending(string due) => $"CASE WHEN {BackToOutbox} = 'pending' THEN {due} END";

    /// <summary>A test send or health check: its caller is gone, so it is not sent again later.</summary>
    private const string IsDirected = """
        (SELECT e."Origin" FROM "Events" AS e WHERE e."Id" = "Deliveries"."EventId") <> 'Published'
        """;

    public const string InsertEvent = """
        INSERT INTO "Events" ("Id", "Type", "ProjectId", "CompanyId", "ProjectName", "CompanyName", "ActorId", "OccurredAt",
            "ReceivedAt", "PreviousValueJson", "CurrentValueJson", "DeliveryCount", "Origin", "TraceParent", "SubjectJson")
        VALUES (@id, @type, @project, @company, @projectName, @companyName, @actor, @occurred, @received, @previous, @current, @count, @origin, @trace,
            @subject)
        """;

    /// <summary><see cref="DeliveryLifecycle.Append"/>: the status (pending or held) is checked in code before it is bound.</summary>
    public const string InsertDelivery = """
        INSERT INTO "Deliveries" ("WebhookId", "EventId", "EventType", "ProjectId", "Status", "Attempts",
            "ScheduledAttempts", "NextAttemptAt", "CreatedAt", "AwaitsReplay")
        VALUES (@webhook, @event, @type, @project, @status, 0, 0, @due, @created, FALSE)
        """;

    /// <summary>
    /// <see cref="DeliveryLifecycle.AppendClaimed"/>: a fresh event's delivery claimed as it is stored (its due time
    /// kept, as a claim keeps it), or a test send's or health check's (none: it is never retried).
    /// </summary>
    public const string InsertClaimedDelivery = """
        INSERT INTO "Deliveries" ("WebhookId", "EventId", "EventType", "ProjectId", "Status", "Attempts",
            "ScheduledAttempts", "NextAttemptAt", "CreatedAt", "AwaitsReplay", "LeaseOwner", "LeaseExpiresAt")
        VALUES (@webhook, @event, @type, @project, 'delivering', 0, 0, @due, @created, FALSE, @lease, @until)
        RETURNING "Id"
        """;

    // Candidates come from the covering index (status, due, id, webhook) alone; the per-webhook cap is applied
    // in code rather than by a window function, which sorted every candidate on every claim (ADR-009).
    public const string ClaimCandidates = """
        SELECT "Id", "WebhookId" FROM "Deliveries"
        WHERE "Status" = 'pending' AND "NextAttemptAt" <= @now
          AND "WebhookId" NOT IN (SELECT "value" FROM json_each(@saturated))
        ORDER BY "NextAttemptAt", "Id"
        LIMIT @scan
        """;

    /// <summary>
    /// Where instances share the database: the candidates are locked as they are read, and rows another instance's claim
    /// has locked are passed over rather than waited for, so claims running at once take different rows.
    /// </summary>
    public static readonly string ClaimCandidatesSkippingLocked = ClaimCandidates + "\nFOR UPDATE SKIP LOCKED";

    /// <summary>
    /// <see cref="DeliveryLifecycle.Claim"/>. The guard again because another writer may have moved a row in
    /// between; its unary plus keeps SQLite from answering it with the status index (every pending row) instead of the ids.
    /// </summary>
    public static readonly string Claim = $"""
        UPDATE "Deliveries" SET "Status" = 'delivering', "LeaseOwner" = @lease, "LeaseExpiresAt" = @until
        WHERE "Id" IN (SELECT "value" FROM json_each(@ids)) AND +{DeliveryLifecycle.Claim.Guard}
        RETURNING "Id", "WebhookId", "EventId", "Attempts", "ScheduledAttempts", "NextAttemptAt"
        """;

    /// <summary><see cref="DeliveryLifecycle.ClaimForResend"/>, only from the status the caller saw.</summary>
    public static readonly string ClaimForResend = $"""
        UPDATE "Deliveries" SET "Status" = 'delivering', "LeaseOwner" = @lease, "LeaseExpiresAt" = @until
        WHERE "Id" = @id AND "Status" = @seen AND {DeliveryLifecycle.ClaimForResend.Guard}
        RETURNING "Id", "WebhookId", "EventId", "Attempts", "ScheduledAttempts", "NextAttemptAt"
        """;

    public static readonly string Deliver = $"""
        UPDATE "Deliveries" SET "Status" = 'delivered', "Attempts" = @attempts, "ScheduledAttempts" = @scheduled,
            "NextAttemptAt" = NULL, "DeliveredAt" = @at, "LastAttemptAt" = @started, "LastStatusCode" = @code,
            "LastError" = NULL, "LastErrorReason" = NULL, "AwaitsReplay" = FALSE, {ClearLease}
        WHERE {Fenced} AND {DeliveryLifecycle.Deliver.Guard}
        """;

    public static readonly string Retry = $"""
        UPDATE "Deliveries" SET "Status" = {BackToOutbox}, "Attempts" = @attempts, "ScheduledAttempts" = @scheduled,
            "NextAttemptAt" = {DueIfPending("@next")}, "LastAttemptAt" = @started, "LastStatusCode" = @code, "LastError" = @error,
            "LastErrorReason" = @errorJson, {ClearLease}
        WHERE {Fenced} AND {DeliveryLifecycle.Retry.Guard}
        """;

    /// <summary><see cref="DeliveryLifecycle.Fail"/>; <c>@awaits</c> marks a last scheduled failure, which its webhook's re-enable replays.</summary>
    public static readonly string Fail = $"""
        UPDATE "Deliveries" SET "Status" = 'failed', "Attempts" = @attempts, "ScheduledAttempts" = @scheduled,
            "NextAttemptAt" = NULL, "LastAttemptAt" = @started, "LastStatusCode" = @code, "LastError" = @error,
            "LastErrorReason" = @errorJson, "AwaitsReplay" = @awaits, {ClearLease}
        WHERE {Fenced} AND {DeliveryLifecycle.Fail.Guard}
        """;

    /// <summary><see cref="DeliveryLifecycle.Restore"/>: <c>@status</c> is the status the resend claimed the row from.</summary>
    public static readonly string Restore = $"""
        UPDATE "Deliveries" SET "Status" = @status, "Attempts" = @attempts,
            "NextAttemptAt" = CASE WHEN @status = 'pending' THEN COALESCE("NextAttemptAt", @now) END,
            "LastAttemptAt" = @started, "LastStatusCode" = @code, "LastError" = @error, "LastErrorReason" = @errorJson, {ClearLease}
        WHERE {Fenced} AND {DeliveryLifecycle.Restore.Guard}
        """;

    /// <summary>
    /// <see cref="DeliveryLifecycle.Release"/>, the one way back from a claim without an outcome. Every row gets a
    /// due time (a resend or a delivered row had none), so the claim finds it again; a test send or health check
    /// fails instead, since nobody waits for it any more.
    /// </summary>
    private static readonly string ReleaseSet = $"""
        "Status" = CASE WHEN {IsDirected} THEN 'failed' ELSE {BackToOutbox} END,
        "NextAttemptAt" = CASE WHEN {IsDirected} THEN NULL ELSE {DueIfPending("COALESCE(\"NextAttemptAt\", @now)")} END,
        "LastError" = CASE WHEN {IsDirected} THEN @reason ELSE "LastError" END,
        "LastErrorReason" = CASE WHEN {IsDirected} THEN @reasonJson ELSE "LastErrorReason" END, {ClearLease}
        """;

    /// <summary>One claimed row handed back by the process that holds it (a claim leaves the due time as it was).</summary>
    public static readonly string ReleaseOne = $"""
        UPDATE "Deliveries" SET {ReleaseSet}
        WHERE {Fenced} AND {DeliveryLifecycle.Release.Guard}
        """;

    /// <summary>Rows whose lease ran out: their process died or stalled.</summary>
    public static readonly string ReleaseExpired = $"""
        UPDATE "Deliveries" SET {ReleaseSet}
        WHERE {DeliveryLifecycle.Release.Guard} AND "LeaseExpiresAt" < @now
        """;

    /// <summary>At start-up with SQLite one process owns the file: every claim left is an orphan.</summary>
    public static readonly string ReleaseAll = $"""
        UPDATE "Deliveries" SET {ReleaseSet}
        WHERE {DeliveryLifecycle.Release.Guard}
        """;

    public static readonly string Hold = $"""
        UPDATE "Deliveries" SET "Status" = 'held', "NextAttemptAt" = NULL WHERE "WebhookId" = @webhook AND {DeliveryLifecycle.Hold.Guard}
        """;

    /// <summary><see cref="DeliveryLifecycle.Replay"/>: held rows, and failed ones only if they failed into the disable.</summary>
    public static readonly string Replay = $"""
        UPDATE "Deliveries" SET "Status" = 'pending', "NextAttemptAt" = @now, "ScheduledAttempts" = 0, "AwaitsReplay" = FALSE
        WHERE "WebhookId" = @webhook AND {DeliveryLifecycle.Replay.Guard} AND ("Status" = 'held' OR "AwaitsReplay" = TRUE)
        """;

    /// <summary>
    /// <see cref="DeliveryLifecycle.Requeue"/>: the first <c>@take</c> rows (in id order) that <paramref name="matching"/>
    /// selects go out again with a fresh retry budget, as a re-enable's replay does; only while the webhook is enabled.
    /// </summary>
    public static string Requeue(string matching) => $"""
        UPDATE "Deliveries" SET "Status" = 'pending', "NextAttemptAt" = @now, "ScheduledAttempts" = 0, "AwaitsReplay" = FALSE
        WHERE "Id" IN (SELECT "Id" FROM "Deliveries" WHERE {matching} ORDER BY "Id" LIMIT @take)
          AND {DeliveryLifecycle.Requeue.Guard}
          AND EXISTS (SELECT 1 FROM "Webhooks" AS w WHERE w."Id" = @webhook AND w."Enabled" = TRUE AND w."DeletedAt" IS NULL)
        RETURNING "Id"
        """;

    public static readonly string Skip = $"""
        UPDATE "Deliveries" SET "Status" = 'skipped', "NextAttemptAt" = NULL WHERE "WebhookId" = @webhook AND {DeliveryLifecycle.Skip.Guard}
        """;

    /// <summary>Not a status change: re-enabled without replay, a delivery that failed into the disable stays failed for good.</summary>
    public const string ForgetReplay = """
        UPDATE "Deliveries" SET "AwaitsReplay" = FALSE WHERE "WebhookId" = @webhook AND "AwaitsReplay" = TRUE
        """;

    public static readonly string DisableWebhook = $"""
        UPDATE "Webhooks" SET "Enabled" = FALSE, "Status" = 'Unhealthy', "DisabledReason" = @reason,
            "DisabledBecause" = @reasonJson, "DisabledAt" = @now, "UpdatedAt" = @now, "Revision" = "Revision" + 1
        WHERE "Id" = @webhook AND {WebhookSendingLifecycle.Disable.Guard}
        """;

    public static readonly string EnableWebhook = $"""
        UPDATE "Webhooks" SET "Enabled" = TRUE, "Status" = 'Healthy', "DisabledReason" = NULL, "DisabledBecause" = NULL,
            "DisabledAt" = NULL, "ConsecutiveFailures" = 0, "UpdatedAt" = @now, "Revision" = "Revision" + 1
        WHERE "Id" = @webhook AND {WebhookSendingLifecycle.Enable.Guard}
        """;

    /// <summary>After a disable or enable (status and enabled are in the payload): keeps the new revision, copied from the row.</summary>
    public const string KeepRevision = """
        INSERT INTO "WebhookRevisions" ("WebhookId", "Revision", "Uid", "Url", "Enabled", "Status", "Events", "ProjectIds", "CreatedAt")
        SELECT "Id", "Revision", "Uid", "Url", "Enabled", "Status", "Events", "ProjectIds", @now FROM "Webhooks" WHERE "Id" = @webhook
        """;

    public static readonly string DeleteWebhook = $"""
        UPDATE "Webhooks" SET "DeletedAt" = @now, "Enabled" = FALSE, "UpdatedAt" = @now
        WHERE "Id" = @webhook AND {WebhookSendingLifecycle.Delete.Guard}
        """;

    /// <summary>Health after a batch of attempts: failures count up until a success resets them.</summary>
    public const string UpdateHealth = """
        UPDATE "Webhooks" SET "LastAttemptAt" = @last,
            "LastSuccessAt" = COALESCE(@success, "LastSuccessAt"), "LastFailureAt" = COALESCE(@failure, "LastFailureAt"),
            "ConsecutiveFailures" = CASE WHEN @reset THEN @failures ELSE "ConsecutiveFailures" + @failures END
        WHERE "Id" = @webhook
        RETURNING "ConsecutiveFailures"
        """;

    public const string InsertAttempt = """
        INSERT INTO "DeliveryAttempts" ("DeliveryId", "WebhookId", "Number", "StartedAt", "DurationMs", "StatusCode",
            "Succeeded", "Error", "ErrorReason", "RequestHeaders", "ResponseHeaders", "ResponseBody", "Trigger", "WebhookRevision", "Instance")
        VALUES (@d, @w, @n, @s, @ms, @code, @ok, @err, @errJson, @reqh, @resh, @body, @trig, @rev, @instance)
        """;
}
