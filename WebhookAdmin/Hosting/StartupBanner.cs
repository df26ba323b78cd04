using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace WebhookAdmin.Hosting;

/// <summary>
/// Tells a newcomer where the app is and how to sign in. The password is printed only in Development,
/// where it is the documented default; elsewhere it stays in configuration.
/// </summary>
public static class StartupBanner
{
    public static void PrintWhenStarted(WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var bootstrap = app.Services.GetRequiredService<IOptions<BootstrapOptions>>().Value;
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var url = addresses.FirstOrDefault() ?? "http://localhost:5080";
            Console.WriteLine();
            Console.WriteLine($"  WebhookAdmin is running at {url}");
            if (!string.IsNullOrEmpty(bootstrap.AdminEmail))
            {
                var password = app.Environment.IsDevelopment() ? bootstrap.AdminPassword : "(Bootstrap:AdminPassword)";
                Console.WriteLine($"  Sign in as {bootstrap.AdminEmail} / {password}");
            }
            Console.WriteLine($"  API reference: {url}/api/docs   (get a token: POST {url}/api/v1/auth/tokens)");
            Console.WriteLine();
        });
    }
}
