using Microsoft.Extensions.Options;

namespace WebhookAdmin.Hosting.Limits;

/// <summary>Registration and pipeline position of the limits (ADR-016).</summary>
public static class LimitsSetup
{
    public static IServiceCollection AddLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LimitsOptions>()
            .Bind(configuration.GetSection(LimitsOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsValidation>();
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, IngestionLimitPolicy>(IngestionLimitPolicy.Name));
        return services;
    }

    /// <summary>After authorization: the ingestion partition is the request's API token.</summary>
    public static WebApplication UseLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }
}

/// <summary>A bad limit stops the start with the key at fault, never a limiter that lets nothing through.</summary>
internal sealed class LimitsValidation : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var wrong = options.All().Where(l => !l.Limit.IsValid)
            .Select(l => $"{l.Key}: PermitLimit must be 0 (off) or more and Window longer than zero (for example 00:01:00).")
            .ToList();
        return wrong.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(wrong);
    }
}
