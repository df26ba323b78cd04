using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using WebhookAdmin.Data;

namespace WebhookAdmin.Hosting;

/// <summary>
/// Tells a newcomer where the app is and how to sign in, and an operator where its data is. The password is
/// printed only in Development, where it is the documented default; elsewhere it stays in configuration.
/// </summary>
public static class StartupBanner
{
    /// <summary>The address people open (behind a proxy, not the one Kestrel listens on).</summary>
    public const string PublicUrlKey = "App:PublicUrl";

    public static void PrintWhenStarted(WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (Features.Operations.JsonLogs.AreOn(app.Configuration))
            {
                // One JSON object a line, for a log collector: the banner becomes one log entry.
                Features.Operations.JsonLogs.LogStarted(app, PublicUrlKey);
                return;
            }
            var bootstrap = app.Services.GetRequiredService<IOptions<BootstrapOptions>>().Value;
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var listening = addresses.FirstOrDefault() ?? AppLocation.DevelopmentUrl;
            var url = (app.Configuration[PublicUrlKey] ?? listening).TrimEnd('/');
            Console.WriteLine();
            Console.WriteLine(url == listening ? $"  WebhookAdmin is running at {url}" : $"  WebhookAdmin is running at {url} (listening on {listening})");
            if (!string.IsNullOrEmpty(bootstrap.AdminEmail))
            {
                var password = app.Environment.IsDevelopment() ? bootstrap.AdminPassword : "(Bootstrap:AdminPassword)";
                Console.WriteLine($"  Sign in as {bootstrap.AdminEmail} / {password}");
            }
            Console.WriteLine($"  API reference: {url}/api/docs   (get a token: POST {url}/api/v1/auth/tokens)");
            if (DatabaseConnection.FilePath(app.Configuration) is { } database)
                Console.WriteLine($"  Data (database and Data Protection keys): {database}");
            Console.WriteLine();
        });
    }
}
