using System.Security.Cryptography;
using System.Text;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Deliveries.Sending;

/// <summary>
/// The two signatures of the contract, section 4: Blue's <c>X-Signature</c> (hex HMAC-SHA256 of the raw
/// body, keyed with the secret's UTF-8 bytes) and Standard Webhooks' <c>webhook-signature</c>
/// (<c>v1,</c> + base64 HMAC-SHA256 of <c>id.timestamp.body</c>, keyed with the base64-decoded secret).
/// </summary>
public static class WebhookSigner
{
    public static string BlueSignature(string secret, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static string StandardSignature(string secret, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(StandardKey(secret), signed));
    }

    /// <summary>
    /// One <c>v1,…</c> entry per secret, space-separated: receivers accept any that matches (rotation overlap).
    /// With several secrets the first entry is repeated at the end, because the official C# verifier
    /// (StandardWebhooks 1.1.2, <c>StandardWebhook.Verify</c>) never examines the last of several entries:
    /// without the repeat, a receiver on that library holding only the previous secret would reject every
    /// delivery during the overlap. Verifiers that examine every entry are unaffected by the duplicate.
    /// </summary>
    public static string StandardSignatures(IReadOnlyList<string> secrets, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var entries = new List<string>(secrets.Count + 1);
        for (var i = 0; i < secrets.Count; i++)
            entries.Add(StandardSignature(secrets[i], messageId, timestamp, body));
        if (entries.Count > 1) entries.Add(entries[0]);
        return string.Join(' ', entries);
    }

    private static byte[] StandardKey(string secret) =>
        Convert.FromBase64String(secret.StartsWith(WebhookSecrets.Prefix, StringComparison.Ordinal) ? secret[WebhookSecrets.Prefix.Length..] : secret);
}
