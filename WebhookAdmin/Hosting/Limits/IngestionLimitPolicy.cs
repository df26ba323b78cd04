using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using WebhookAdmin.Features.Accounts;

namespace WebhookAdmin.Hosting.Limits;

/// <summary>
/// <c>Limits:Ingestion:PerToken</c> on the publish routes, one partition per API token. It runs after authorization, so
/// every request it sees carries a token with <c>events:publish</c>; a missing or wrong token was already a 401.
/// </summary>
public sealed class IngestionLimitPolicy(IOptions<LimitsOptions> options, TimeProvider time) : IRateLimiterPolicy<string>
{
    public const string Name = "ingestion";

    private readonly RateLimit _limit = options.Value.Ingestion.PerToken;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (context, _) =>
        new(TooManyRequests.WriteAsync(context.HttpContext, TooManyRequests.RetryAfter(context.Lease),
            "This API token has published more requests than Limits:Ingestion:PerToken allows; wait for Retry-After seconds."));

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var token = httpContext.User.FindFirstValue(CurrentUser.TokenClaim) ?? "";
        return _limit.IsOn
            ? RateLimitPartition.Get(token, _ => new ClockedWindowLimiter(_limit, time))
            : RateLimitPartition.GetNoLimiter(token);
    }
}
