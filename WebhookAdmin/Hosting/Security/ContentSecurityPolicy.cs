using System.Security.Cryptography;

namespace WebhookAdmin.Hosting.Security;

/// <summary>
/// The content security policies (ADR-016). Scripts come from the app's own files only, plus the one inline script
/// Blazor writes (the import map), allowed by a nonce made per response. Styles also allow inline: MudBlazor writes
/// its theme as a &lt;style&gt; element and Blazor sets style attributes, neither of which can carry a nonce. The
/// circuit's WebSocket is named explicitly, as browsers before CSP 3 do not count ws: as 'self'.
/// </summary>
public static class ContentSecurityPolicy
{
    private const string NonceKey = "wha-csp-nonce";

    /// <summary>The nonce of this response's policy, for the inline script that needs one (App.razor's import map).</summary>
    public static string Nonce(HttpContext context)
    {
        if (context.Items[NonceKey] is string nonce) return nonce;
        // Hex rather than base64: no character Razor would encode in the attribute, and hex is valid nonce syntax.
        nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    /// <summary>Every page of the admin app, and everything else the app answers except the API reference.</summary>
    public static string ForApp(HttpContext context)
    {
        var socket = (context.Request.IsHttps ? "wss://" : "ws://") + context.Request.Host.Value;
        return string.Join("; ",
            "default-src 'self'",
            $"script-src 'self' 'nonce-{Nonce(context)}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            $"connect-src 'self' {socket}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    /// <summary>
    /// <c>/api/docs</c>: Scalar starts itself from an inline script and evaluates code in its "try it" panel, so its
    /// page gets looser scripts, and nothing else: still no other origin, no frames of it.
    /// </summary>
    public static string ForApiReference() => string.Join("; ",
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'");
}
