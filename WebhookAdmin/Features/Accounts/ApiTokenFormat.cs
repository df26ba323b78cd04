using System.Security.Cryptography;
using System.Text;

namespace WebhookAdmin.Features.Accounts;

/// <summary>How tokens look (<c>wha_</c> + 43 url-safe characters) and how they are hashed for storage.</summary>
public static class ApiTokenFormat
{
    public const string Prefix = "wha_";

    public static string NewToken() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 is enough here: tokens carry 256 random bits, so there is nothing to brute-force.</summary>
    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string DisplayPrefix(string token) => token[..Math.Min(token.Length, 8)];

    public static string NewId() => "tok_" + Guid.CreateVersion7().ToString("N")[..20];
}
