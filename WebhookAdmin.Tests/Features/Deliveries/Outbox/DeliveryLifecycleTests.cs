using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Outbox;
using static WebhookAdmin.Features.Deliveries.DeliveryStatus;

namespace WebhookAdmin.Tests.Features.Deliveries.Outbox;

/// <summary>The delivery and webhook state machines on their own: every move they allow, and every one they do not.</summary>
public sealed class DeliveryLifecycleTests
{
    /// <summary>The specification, written out by hand: from → the statuses it may move to.</summary>
    private static readonly Dictionary<DeliveryStatus, DeliveryStatus[]> Allowed = new()
    {
        [Pending] = [Delivering, Held, Skipped],
        [Delivering] = [Pending, Delivered, Failed, Held, Skipped],
        // A bulk replay sends delivered and skipped deliveries again too.
        [Delivered] = [Delivering, Pending],
        [Failed] = [Delivering, Pending],
        [Held] = [Delivering, Pending, Skipped],
        [Skipped] = [Delivering, Pending],
    };

    public static TheoryData<DeliveryStatus, DeliveryStatus> EveryPair()
    {
        var pairs = new TheoryData<DeliveryStatus, DeliveryStatus>();
        foreach (var from in Enum.GetValues<DeliveryStatus>())
            foreach (var to in Enum.GetValues<DeliveryStatus>())
                if (from != to) pairs.Add(from, to);
        return pairs;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void A_move_is_allowed_exactly_when_the_specification_lists_it(DeliveryStatus from, DeliveryStatus to) =>
        Assert.Equal(Allowed[from].Contains(to), DeliveryLifecycle.CanMove(from, to));

    [Fact]
    public void A_new_delivery_starts_pending_held_or_claimed_and_never_finished() =>
        Assert.Equal([Pending, Delivering, Held], DeliveryLifecycle.Initial.Order());

    [Fact]
    public void Only_a_claim_leads_into_delivering_and_only_an_outcome_or_a_release_leads_out()
    {
        var into = DeliveryLifecycle.All.Where(t => t.From.Count > 0 && t.To.Contains(Delivering)).Select(t => t.Name);
        var outOf = DeliveryLifecycle.All.Where(t => t.From.Contains(Delivering)).Select(t => t.Name);
        Assert.Equal(["Claim", "ClaimForResend"], into);
        Assert.Equal(["Deliver", "Retry", "Fail", "Restore", "Release"], outOf);
    }

    [Fact]
    public void A_resend_may_claim_any_status_but_one_already_in_flight()
    {
        Assert.DoesNotContain(Delivering, DeliveryLifecycle.ClaimForResend.From);
        Assert.Equal(Enum.GetValues<DeliveryStatus>().Length - 1, DeliveryLifecycle.ClaimForResend.From.Count);
    }

    [Fact]
    public void Every_guard_names_exactly_the_statuses_its_transition_starts_from()
    {
        Assert.Equal("\"Status\" IN ('pending', 'held')", DeliveryLifecycle.Skip.Guard);
        Assert.Equal("\"Status\" IN ('delivering')", DeliveryLifecycle.Release.Guard);
        Assert.Throws<InvalidOperationException>(() => DeliveryLifecycle.Append.Guard);
    }

    [Theory]
    [InlineData(WebhookSending.Enabled, WebhookSending.Disabled, true)]
    [InlineData(WebhookSending.Disabled, WebhookSending.Enabled, true)]
    [InlineData(WebhookSending.Enabled, WebhookSending.Deleted, true)]
    [InlineData(WebhookSending.Disabled, WebhookSending.Deleted, true)]
    [InlineData(WebhookSending.Deleted, WebhookSending.Enabled, false)]
    [InlineData(WebhookSending.Deleted, WebhookSending.Disabled, false)]
    public void A_webhook_moves_between_enabled_and_disabled_and_never_back_from_deleted(WebhookSending from, WebhookSending to, bool allowed) =>
        Assert.Equal(allowed, WebhookSendingLifecycle.CanMove(from, to));
}
