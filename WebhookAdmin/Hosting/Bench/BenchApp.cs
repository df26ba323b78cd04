using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WebhookAdmin.Hosting.Bench;

/// <summary>
/// The real application (same pipeline as <c>dotnet run</c>) on a fresh database (<see cref="BenchDatabase"/>) and a
/// loopback port, with an every-scope token, one company and one project the admin belongs to.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{
    public const string Token = "wha_bench_token_000000000000000000000000";
    public const string ProjectId = "bench-project";
    private readonly WebApplication _app;
    private readonly BenchDatabase? _ownDatabase;

    private BenchApp(WebApplication app, BenchDatabase database, bool ownsDatabase, HttpClient api)
    {
        _app = app;
        Database = database;
        _ownDatabase = ownsDatabase ? database : null;
        Api = api;
    }

    public HttpClient Api { get; }
    public IServiceProvider Services => _app.Services;
    public BenchDatabase Database { get; }

    public string DatabasePath => Database.FilePath ?? throw new InvalidOperationException("On PostgreSQL there is no database file.");

    /// <summary>
    /// Starts the app on <paramref name="database"/> (shared with other instances, and left to its owner) or on a fresh
    /// one of its own, dropped with the app.
    /// </summary>
    public static async Task<BenchApp> StartAsync(
        BenchOptions options, IDictionary<string, string?>? overrides = null, BenchDatabase? database = null, string instance = "bench-1")
    {
        var ownsDatabase = database is null;
        database ??= BenchDatabase.Create(options);
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Instance:Name"] = instance,
            ["Bootstrap:AdminEmail"] = "bench@example.com",
            ["Bootstrap:AdminPassword"] = "Bench!12345",
            ["Bootstrap:ApiToken"] = Token,
            ["Bootstrap:DemoData"] = "false",
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Delivery:MaxConcurrency"] = options.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("WHA_BENCH_LOG") ?? "Error",
        };
        if (options.DeliveryTimeout is { } timeout) settings["Delivery:Timeout"] = timeout.ToString("c");
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;

        // The application name finds the static-assets manifest even when the bench runs inside another process (the smoke test).
        var app = WebhookAdminApp.Build(["--applicationName=WebhookAdmin"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            // Errors only, and on stderr: stdout carries the report (one JSON object with --json).
            var level = Enum.Parse<LogLevel>(Environment.GetEnvironmentVariable("WHA_BENCH_LOG") ?? "Error");
            builder.Logging.ClearProviders();
            builder.Logging.AddFilter((_, l) => l >= level);
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        });
        try
        {
            await app.PrepareDatabaseAsync();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            if (ownsDatabase) await database.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromMinutes(5),
        };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var bench = new BenchApp(app, database, ownsDatabase, api);
        await bench.ExpectAsync(HttpMethod.Put, "/api/v1/companies/bench-co", new { name = "Bench Co" }, HttpStatusCode.OK);
        await bench.ExpectAsync(HttpMethod.Put, $"/api/v1/projects/{ProjectId}", new { companyId = "bench-co", name = "Bench" }, HttpStatusCode.OK);
        await bench.ExpectAsync(HttpMethod.Put, $"/api/v1/projects/{ProjectId}/members/bench@example.com", new { role = "admin" }, HttpStatusCode.OK);
        return bench;
    }

    /// <summary>Creates webhooks for every event of the bench project at the given receiver URLs; returns their ids.</summary>
    public async Task<List<string>> CreateWebhooksAsync(IEnumerable<string> urls)
    {
        var ids = new List<string>();
        foreach (var url in urls)
        {
            var created = await ExpectAsync(HttpMethod.Post, "/api/v1/webhooks", new { url, projectIds = new[] { ProjectId } }, HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetString()!);
        }
        return ids;
    }

    public async Task<System.Text.Json.JsonElement> ExpectAsync(HttpMethod method, string path, object? body, params HttpStatusCode[] expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!expected.Contains(response.StatusCode))
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownDatabase is not null) await _ownDatabase.DisposeAsync();
    }
}
