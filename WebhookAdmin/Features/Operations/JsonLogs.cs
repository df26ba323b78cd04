using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WebhookAdmin.Data;

namespace WebhookAdmin.Features.Operations;

/// <summary>
/// Console logs as JSON (<c>Logging:Console:FormatterName=json</c>, ASP.NET Core's own formatter): one object a line
/// for a log collector. The start-up banner's plain lines would break that, so with JSON logs it is one log entry
/// instead, with the same facts as fields (never the password).
/// </summary>
public static partial class JsonLogs
{
    public const string FormatterKey = "Logging:Console:FormatterName";

    public static bool AreOn(IConfiguration configuration) =>
        string.Equals(configuration[FormatterKey], Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Json, StringComparison.OrdinalIgnoreCase);

    public static void LogStarted(WebApplication app, string publicUrlKey)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var listening = addresses.FirstOrDefault();
        var publicUrl = app.Configuration[publicUrlKey] ?? listening;
        var database = DatabaseConnection.FilePath(app.Configuration);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WebhookAdmin.Startup");
        Started(logger, publicUrl, listening, database);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebhookAdmin is running at {PublicUrl} (listening on {ListeningOn}); data in {Database}")]
    private static partial void Started(ILogger logger, string? publicUrl, string? listeningOn, string? database);
}
