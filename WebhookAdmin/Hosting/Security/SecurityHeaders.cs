namespace WebhookAdmin.Hosting.Security;

/// <summary>
/// Headers on every answer: the content security policy, no framing (CSP frame-ancestors and X-Frame-Options for
/// older browsers), no MIME sniffing, and no address of the admin app sent to other sites.
/// </summary>
public static class SecurityHeaders
{
    public const string ApiReferencePath = "/api/docs";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(ApiReferencePath)
                ? ContentSecurityPolicy.ForApiReference()
                : ContentSecurityPolicy.ForApp(context);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return next(context);
        });
        return app;
    }
}
