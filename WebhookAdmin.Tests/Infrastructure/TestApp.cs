using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel (a real port), on its own SQLite file, with a bootstrap administrator and an
/// every-scope API token. Settings can be overridden per test class; time can be a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin!12345";
    public const string AdminToken = "wha_test_admin_token_0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public TestApp(IDictionary<string, string?>? settings = null, FakeTimeProvider? time = null,
        Action<IServiceCollection>? services = null, string? databasePath = null)
    {
        DataFolder = databasePath is null ? Path.Combine(Path.GetTempPath(), "wha-tests", Guid.NewGuid().ToString("N")) : Path.GetDirectoryName(databasePath)!;
        Directory.CreateDirectory(DataFolder);
        DatabasePath = databasePath ?? Path.Combine(DataFolder, "app.db");
        Time = time;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = $"Data Source={DatabasePath}",
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            ["Bootstrap:ApiToken"] = AdminToken,
            ["Bootstrap:DemoData"] = "false",
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
            // Blazor sends circuit exceptions to the browser console, where the browser tests collect them.
            ["DetailedErrors"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
        UseKestrel(0);
    }

    /// <summary>The folder of this app's database (and anything else a test writes beside it); deleted on dispose.</summary>
    public string DataFolder { get; }
    public string DatabasePath { get; }
    public FakeTimeProvider? Time { get; }

    /// <summary>The app's base address on loopback (starts the server on first use).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // As host settings, not only app configuration: with minimal hosting, ConfigureAppConfiguration is
        // applied after Program has registered its services, and registration reads some settings eagerly
        // (the connection string, the poll interval). Without this every TestApp shared ./webhookadmin.db.
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        builder.ConfigureServices(services =>
        {
            if (Time is not null)
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            _services?.Invoke(services);
        });
    }

    /// <summary>An HttpClient for the API, authenticated with <paramref name="token"/> (the admin token by default).</summary>
    public HttpClient Api(string? token = AdminToken)
    {
        StartServer();
        var client = new HttpClient { BaseAddress = ClientOptions.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
