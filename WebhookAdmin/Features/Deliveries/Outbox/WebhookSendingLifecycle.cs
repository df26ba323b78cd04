using System.Collections.Frozen;
using static WebhookAdmin.Features.Deliveries.Outbox.WebhookSending;

namespace WebhookAdmin.Features.Deliveries.Outbox;

/// <summary>Whether a webhook receives: the part of its row the outbox owns (with its health counters).</summary>
public enum WebhookSending { Enabled, Disabled, Deleted }

public sealed record WebhookTransition(string Name, IReadOnlyList<WebhookSending> From, WebhookSending To)
{
    /// <summary>The SQL condition on the <c>Webhooks</c> row for this transition.</summary>
    public string Guard => (From.Contains(Enabled), From.Contains(Disabled), From.Contains(Deleted)) switch
    {
        (true, true, false) => "\"DeletedAt\" IS NULL",
        (true, false, false) => "\"Enabled\" = TRUE AND \"DeletedAt\" IS NULL",
        (false, true, false) => "\"Enabled\" = FALSE AND \"DeletedAt\" IS NULL",
        _ => throw new InvalidOperationException($"'{Name}' starts from a set of states no statement needs."),
    };
}

/// <summary>
/// The webhook's sending state machine: enabled ⇄ disabled (by hand, after the last failed attempt, or on
/// <c>410 Gone</c>; re-enabled after a passed health check), and deleted, from which nothing returns.
/// Only <see cref="WebhookSwitch"/> and the outcome writer change these columns.
/// </summary>
public static class WebhookSendingLifecycle
{
    public static readonly WebhookTransition Disable = new(nameof(Disable), [Enabled], Disabled);

    /// <summary>After a passed health check; an enabled webhook may be checked again (it becomes HEALTHY, its failures reset).</summary>
    public static readonly WebhookTransition Enable = new(nameof(Enable), [Enabled, Disabled], Enabled);

    public static readonly WebhookTransition Delete = new(nameof(Delete), [Enabled, Disabled], Deleted);

    public static IReadOnlyList<WebhookTransition> All { get; } = [Disable, Enable, Delete];

    private static readonly FrozenSet<(WebhookSending, WebhookSending)> Moves =
        All.SelectMany(t => t.From.Where(from => from != t.To).Select(from => (from, t.To))).ToFrozenSet();

    public static bool CanMove(WebhookSending from, WebhookSending to) => Moves.Contains((from, to));
}
