using WebhookAdmin.Hosting;

// Commands (create-token, bench) run instead of the server when named on the command line.
if (await CommandLine.TryRunAsync(args))
    return;

var app = WebhookAdminApp.Build(args);
await app.PrepareDatabaseAsync();
StartupBanner.PrintWhenStarted(app);
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
