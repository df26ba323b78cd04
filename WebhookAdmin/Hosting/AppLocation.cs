namespace WebhookAdmin.Hosting;

/// <summary>
/// Where the app runs from: a build output (<c>dotnet run</c>, the tests) or a <c>dotnet publish</c> folder.
/// They differ in where the static web assets are (MudBlazor's css and js, blazor.web.js, the scoped css,
/// wwwroot-assets/). A publish copies them into its wwwroot/. A build output has none of them beside it: the
/// SDK writes <c>WebhookAdmin.staticwebassets.runtime.json</c> there instead, a manifest that points into the
/// NuGet cache, obj/ and wwwroot-assets/. That manifest is how this tells the two apart.
/// </summary>
public static class AppLocation
{
    /// <summary>The contract's address for <c>dotnet run</c>.</summary>
    public const string DevelopmentUrl = "http://localhost:5080";

    private static readonly string RuntimeManifest = Path.Combine(
        AppContext.BaseDirectory, $"{typeof(AppLocation).Assembly.GetName().Name}.staticwebassets.runtime.json");

    /// <summary>The app's builder, set up to find its files in every environment, run or published.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var buildOutput = File.Exists(RuntimeManifest);
        var given = HostSettings(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // `dotnet run` means Development, as the launch profile's ASPNETCORE_ENVIRONMENT used to say. But a
            // launch profile's variables beat the shell's, so `ASPNETCORE_ENVIRONMENT=Production dotnet run` ran
            // in Development (demo users with a published password, private networks allowed). Here the
            // operator's choice wins; a publish keeps ASP.NET Core's default, Production.
            EnvironmentName = buildOutput && given[HostDefaults.EnvironmentKey] is null ? Environments.Development : null,
            // The default is the working directory: right for `dotnet run`, which starts the app in the project
            // folder; wrong for a publish started from anywhere else (a service without WorkingDirectory, a
            // script), which then found neither its appsettings.json nor its wwwroot/.
            ContentRootPath = !buildOutput && given[HostDefaults.ContentRootKey] is null ? AppContext.BaseDirectory : null,
        });

        // The launch profile's applicationUrl did this for `dotnet run` in every environment: the contract's address
        // unless the operator names one. A publish keeps ASP.NET Core's default and is started with --urls.
        if (buildOutput && !AddressGiven(builder.Configuration))
            builder.WebHost.UseUrls(DevelopmentUrl);

        // ASP.NET Core reads the runtime manifest only in Development (WebHost.ConfigureWebDefaults). Elsewhere
        // MapStaticAssets still maps every asset (from the endpoints manifest, which is there) but finds no file,
        // and answers 200 with an empty body and no Content-Type: pages without CSS, and blazor.web.js refused as
        // a module, so nothing is interactive. Reading it in every environment is all `dotnet run` needs; in a
        // publish the manifest is absent and this does nothing. Development has read it already.
        if (!builder.Environment.IsDevelopment())
            builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    /// <summary>Host settings as the builder reads them: DOTNET_ and ASPNETCORE_ variables, then the command line.</summary>
    private static IConfiguration HostSettings(string[] args) => new ConfigurationBuilder()
        .AddEnvironmentVariables("DOTNET_")
        .AddEnvironmentVariables("ASPNETCORE_")
        .AddCommandLine(args)
        .Build();

    private static bool AddressGiven(IConfiguration configuration) =>
        configuration["urls"] is not null || configuration["http_ports"] is not null || configuration["https_ports"] is not null
        || configuration.GetSection("Kestrel:Endpoints").Exists();
}
