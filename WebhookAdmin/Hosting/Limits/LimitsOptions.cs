namespace WebhookAdmin.Hosting.Limits;

/// <summary>
/// <c>Limits:*</c>: how many sign-in attempts and ingestion requests are let through per window (ADR-016). Each limit
/// is a fixed window on the app's clock; a permit limit of 0 turns that limit off.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    public SignInLimits SignIn { get; set; } = new();
    public IngestionLimits Ingestion { get; set; } = new();

    /// <summary>Every limit with its configuration key, for validation messages that name the key at fault.</summary>
    public IEnumerable<(string Key, RateLimit Limit)> All() =>
    [
        ($"{Section}:SignIn:PerAddress", SignIn.PerAddress),
        ($"{Section}:SignIn:PerAccount", SignIn.PerAccount),
        ($"{Section}:Ingestion:PerToken", Ingestion.PerToken),
    ];
}

/// <summary>Password checks: the sign-in form and <c>POST /api/v1/auth/tokens</c> share both limits.</summary>
public sealed class SignInLimits
{
    /// <summary>Per client address (after forwarded headers): a person mistyping never gets near it, a guesser does.</summary>
    public RateLimit PerAddress { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Per email as typed (known or not, so the answer never tells which): guessing from many addresses.</summary>
    public RateLimit PerAccount { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };
}

public sealed class IngestionLimits
{
    /// <summary>
    /// Requests to <c>POST /api/v1/events</c> and <c>/events/batch</c> per API token. The default is a ceiling against a
    /// runaway publisher, about ten times what one instance ingests on 2 cores, so the bench never meets it.
    /// </summary>
    public RateLimit PerToken { get; set; } = new() { PermitLimit = 1_000_000, Window = TimeSpan.FromSeconds(10) };
}

public sealed class RateLimit
{
    /// <summary>Requests let through per window; 0 turns the limit off.</summary>
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsOn => PermitLimit > 0;

    public bool IsValid => PermitLimit >= 0 && Window > TimeSpan.Zero;
}
