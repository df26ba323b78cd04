namespace WebhookAdmin.Features.Accounts;

/// <summary>API token scopes (contract, section 2). <c>admin</c> implies the others.</summary>
public static class Scopes
{
    public const string Webhooks = "webhooks";
    public const string EventsPublish = "events:publish";
    public const string Admin = "admin";

    public static readonly string[] All = [Webhooks, EventsPublish, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
