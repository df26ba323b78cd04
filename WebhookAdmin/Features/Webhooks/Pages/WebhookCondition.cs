namespace WebhookAdmin.Features.Webhooks.Pages;

/// <summary>
/// How a webhook is doing, in the three words the pages use. The contract's status has two values
/// (HEALTHY/UNHEALTHY, and UNHEALTHY only once disabled); people also need to see a webhook that is still
/// on but whose receiver has started failing (retries under way). DashboardQueries counts by the same rule.
/// </summary>
public enum WebhookCondition { Healthy, Failing, Disabled }

public static class WebhookConditions
{
    public static WebhookCondition Of(bool enabled, string status, int consecutiveFailures) =>
        !enabled ? WebhookCondition.Disabled
        : consecutiveFailures > 0 || status == WebhookResponse.StatusName(WebhookStatus.Unhealthy) ? WebhookCondition.Failing
        : WebhookCondition.Healthy;

    public static WebhookCondition Of(WebhookResponse webhook) => Of(webhook.Enabled, webhook.Status, webhook.ConsecutiveFailures);
}
