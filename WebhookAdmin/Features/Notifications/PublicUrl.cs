using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WebhookAdmin.Features.Notifications;

/// <summary>The address people open the admin app at: <c>App:PublicUrl</c>, else the first address it listens on (contract, section 1).</summary>
public sealed class PublicUrl(IConfiguration configuration, IServer server)
{
    public const string Key = "App:PublicUrl";

    public string Value =>
        (configuration[Key] is { Length: > 0 } configured
            ? configured
            : server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080").TrimEnd('/');
}
