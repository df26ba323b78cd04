using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WebhookAdmin.Tests.Api;

/// <summary>Who may call a route: nobody in particular, any valid token, or a token carrying one scope.</summary>
public enum Access { Anonymous, AnyToken, Webhooks, EventsPublish, Admin }

/// <summary>Whose thing the route's <c>{id}</c> names: a route on someone else's thing answers 404.</summary>
public enum Owned { Nothing, Webhook, Delivery, Token, Replay }

/// <summary>One API route as the contract (section 3) and its extensions describe it.</summary>
public sealed record ApiRoute(string Method, string Pattern, Access Access, Owned Owned = Owned.Nothing)
{
    public override string ToString() => $"{Method} {Pattern}";

    /// <summary>The pattern with every <c>{parameter}</c> replaced by <paramref name="value"/>(parameter name).</summary>
    public string Path(Func<string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(Pattern, "\\{(\\w+)\\}", m => Uri.EscapeDataString(value(m.Groups[1].Value)));
}

/// <summary>
/// Every route of the API, written out by hand. <see cref="RouteAuthorizationTests"/> checks this table
/// against the app's EndpointDataSource both ways, so a route added to the app without a line here (or
/// with a different policy) fails the build's tests instead of escaping the authorization checks.
/// </summary>
public static class ApiRouteTable
{
    public static readonly IReadOnlyList<ApiRoute> All =
    [
        // Directory (AccountsApi)
        new("PUT", "/api/v1/companies/{companyId}", Access.Admin),
        new("PUT", "/api/v1/projects/{projectId}", Access.Admin),
        new("PUT", "/api/v1/projects/{projectId}/members/{email}", Access.Admin),
        new("DELETE", "/api/v1/projects/{projectId}/members/{email}", Access.Admin),
        new("POST", "/api/v1/users", Access.Admin),
        new("POST", "/api/v1/users/{email}/tokens", Access.Admin),
        new("GET", "/api/v1/companies", Access.AnyToken),

        // Tokens (AccountsApi)
        new("GET", "/api/v1/tokens", Access.AnyToken),
        new("POST", "/api/v1/tokens", Access.AnyToken),
        new("DELETE", "/api/v1/tokens/{id}", Access.AnyToken, Owned.Token),
        new("POST", "/api/v1/auth/tokens", Access.Anonymous),

        // Event types and events (EventsApi)
        new("GET", "/api/v1/event-types", Access.AnyToken),
        new("POST", "/api/v1/events", Access.EventsPublish),
        new("POST", "/api/v1/events/batch", Access.EventsPublish),

        // Webhooks (WebhooksApi)
        new("POST", "/api/v1/webhooks", Access.Webhooks),
        new("GET", "/api/v1/webhooks", Access.Webhooks),
        new("GET", "/api/v1/webhooks/{id}", Access.Webhooks, Owned.Webhook),
        new("PATCH", "/api/v1/webhooks/{id}", Access.Webhooks, Owned.Webhook),
        new("POST", "/api/v1/webhooks/{id}/disable", Access.Webhooks, Owned.Webhook),
        new("POST", "/api/v1/webhooks/{id}/enable", Access.Webhooks, Owned.Webhook),
        new("POST", "/api/v1/webhooks/{id}/rotate-secret", Access.Webhooks, Owned.Webhook),
        new("POST", "/api/v1/webhooks/{id}/test", Access.Webhooks, Owned.Webhook),
        new("GET", "/api/v1/webhooks/{id}/health", Access.Webhooks, Owned.Webhook),
        new("GET", "/api/v1/webhooks/{id}/deliveries", Access.Webhooks, Owned.Webhook),
        new("DELETE", "/api/v1/webhooks/{id}", Access.Webhooks, Owned.Webhook),

        // Deliveries (DeliveriesApi)
        new("GET", "/api/v1/deliveries", Access.Webhooks),
        new("GET", "/api/v1/deliveries/{id}", Access.Webhooks, Owned.Delivery),
        new("POST", "/api/v1/deliveries/{id}/resend", Access.Webhooks, Owned.Delivery),

        // Bulk replay (ReplaysApi)
        new("POST", "/api/v1/webhooks/{id}/replay", Access.Webhooks, Owned.Webhook),
        new("GET", "/api/v1/webhooks/{id}/replays", Access.Webhooks, Owned.Webhook),
        new("GET", "/api/v1/replays/{id}", Access.Webhooks, Owned.Replay),
        new("POST", "/api/v1/replays/{id}/cancel", Access.Webhooks, Owned.Replay),
    ];

    public static TheoryData<string> Where(Func<ApiRoute, bool> predicate)
    {
        var data = new TheoryData<string>();
        foreach (var route in All.Where(predicate)) data.Add(route.ToString());
        return data;
    }

    public static ApiRoute Find(string name) => All.Single(r => r.ToString() == name);

    /// <summary>
    /// What the app really maps under <c>/api/v1/</c>, from its EndpointDataSource: one entry per method, the
    /// pattern written as in this table (constraints dropped, no trailing slash), access left for the caller to read.
    /// </summary>
    public static IEnumerable<(ApiRoute Route, RouteEndpoint Endpoint)> Mapped(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => (new ApiRoute(method, Normalize(e.RoutePattern.RawText!), Access.Anonymous), e)));

    private static string Normalize(string pattern)
    {
        var withoutConstraints = System.Text.RegularExpressions.Regex.Replace(pattern, "\\{(\\w+)(:[^}]*)?\\}", "{$1}");
        return withoutConstraints.TrimEnd('/');
    }
}
