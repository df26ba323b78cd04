using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace WebhookAdmin.Features.Webhooks;

/// <summary>
/// Makes signing secrets (<c>whsec_</c> + base64 of 32 random bytes, so Standard Webhooks libraries and
/// Blue-style hex checks both accept them) and keeps them encrypted at rest with Data Protection.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider dataProtection)
{
    public const string Prefix = "whsec_";
    private readonly IDataProtector _protector = dataProtection.CreateProtector("WebhookAdmin.WebhookSecret.v1");

    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
