using System.Globalization;
using System.Threading.RateLimiting;
using WebhookAdmin.Hosting.Api;

namespace WebhookAdmin.Hosting.Limits;

/// <summary>The one shape of every refusal by a limit: 429, <c>Retry-After</c> in whole seconds, problem+json.</summary>
public static class TooManyRequests
{
    public const string Title = "Too many requests";

    /// <summary>Rounded up: a client that waits exactly this long is let through.</summary>
    public static int Seconds(TimeSpan retryAfter) => (int)Math.Clamp(Math.Ceiling(retryAfter.TotalSeconds), 1, int.MaxValue);

    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);

    public static IResult Result(TimeSpan retryAfter, string detail, IDictionary<string, string[]>? errors = null) =>
        new Answer(retryAfter, detail, errors);

    public static Task WriteAsync(HttpContext context, TimeSpan retryAfter, string detail, IDictionary<string, string[]>? errors = null)
    {
        if (context.Response.HasStarted) return Task.CompletedTask;
        context.Response.Headers.RetryAfter = Seconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Write(context, StatusCodes.Status429TooManyRequests, Title, detail, errors);
    }

    private sealed class Answer(TimeSpan retryAfter, string detail, IDictionary<string, string[]>? errors) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, retryAfter, detail, errors);
    }
}
