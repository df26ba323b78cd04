using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using WebhookAdmin.Hosting.Limits;

namespace WebhookAdmin.Features.Accounts;

/// <summary>
/// The sign-in limits (<c>Limits:SignIn:PerAddress</c> and <c>:PerAccount</c>), asked before every password check, by
/// the sign-in form's handler and by <c>POST /api/v1/auth/tokens</c> alike: one count per address and one per email for
/// both doors. Not the rate-limiting middleware: the email is in the body (a form or JSON), which a partition key
/// cannot read, and the form answers a person with a redirect rather than a 429. Singleton.
/// </summary>
public sealed class SignInThrottle(IOptions<LimitsOptions> options, TimeProvider time) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress = Partitioned(options.Value.SignIn.PerAddress, time);
    private readonly PartitionedRateLimiter<string> _perAccount = Partitioned(options.Value.SignIn.PerAccount, time);

    /// <summary>Counts one attempt; null when it may go ahead, else why not and for how long.</summary>
    public SignInRefusal? TryAttempt(IPAddress? address, string email)
    {
        // The address first: a refused one does not spend the account's permits, so a guesser on one address cannot
        // also hold its victim's account shut.
        using (var byAddress = _perAddress.AttemptAcquire(address?.ToString() ?? "unknown"))
            if (!byAddress.IsAcquired) return new SignInRefusal(TooManyRequests.RetryAfter(byAddress), ByAccount: false);
        // Known or not: limiting only real accounts would tell a guesser which emails exist.
        using var byAccount = _perAccount.AttemptAcquire(email.Trim().ToUpperInvariant());
        return byAccount.IsAcquired ? null : new SignInRefusal(TooManyRequests.RetryAfter(byAccount), ByAccount: true);
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
    }

    private static PartitionedRateLimiter<string> Partitioned(RateLimit limit, TimeProvider time) =>
        PartitionedRateLimiter.Create<string, string>(key => limit.IsOn
            ? RateLimitPartition.Get(key, _ => new ClockedWindowLimiter(limit, time))
            : RateLimitPartition.GetNoLimiter(key));
}

/// <summary>A sign-in attempt over a limit: <see cref="ByAccount"/> when the email's limit refused it, else the address's.</summary>
public sealed record SignInRefusal(TimeSpan RetryAfter, bool ByAccount)
{
    public string Detail => ByAccount
        ? "Too many sign-in attempts for this account; wait for Retry-After seconds."
        : "Too many sign-in attempts from this address; wait for Retry-After seconds.";
}
