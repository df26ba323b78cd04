using WebhookAdmin.Components;
using WebhookAdmin.Hosting;

// Commands (create-token, bench) run instead of the server when named on the command line.
if (await CommandLine.TryRunAsync(args))
    return;

var builder = WebApplication.CreateBuilder(args);
builder.AddWebhookAdmin();

var app = builder.Build();
await app.PrepareDatabaseAsync();

app.UseWebhookAdminPipeline();
app.MapHealthEndpoints();
app.MapWebhookAdminApi();
app.MapAdminUi();
StartupBanner.PrintWhenStarted(app);

await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
