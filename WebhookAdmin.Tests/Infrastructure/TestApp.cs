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
/// The real app on Kestrel (a real port), on its own database (a SQLite file; a PostgreSQL database when the tests run
/// on PostgreSQL, see <see cref="TestDatabase"/>), with a bootstrap administrator and an every-scope API token. Settings
/// can be overridden per test class; time can be a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin!12345";
    public const string AdminToken = "wha_test_admin_token_0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDatabase;

    public TestApp(IDictionary<string, string?>? settings = null, FakeTimeProvider? time = null,
        Action<IServiceCollection>? services = null, TestDatabase? database = null)
    {
        DataFolder = Path.Combine(Path.GetTempPath(), "wha-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataFolder);
        _ownsDatabase = database is null;
        Database = database ?? (TestDatabase.OnPostgres ? TestDatabase.Create() : TestDatabase.Sqlite(Path.Combine(DataFolder, "app.db")));
        Time = time;
        _services = services;
        _settings = new Dictionary<string, string?>(Database.Settings)
        {
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

    /// <summary>A folder of this app's own for anything a test writes beside it (its own SQLite file too); deleted on dispose.</summary>
    public string DataFolder { get; }

    /// <summary>Its database: its own (disposed with it), or the one the test gave it (the test's to dispose).</summary>
    public TestDatabase Database { get; }

    /// <summary>The SQLite file; a test that needs one is SQLite-only by nature.</summary>
    public string DatabasePath => Database.SqlitePath
        ?? throw new InvalidOperationException("This app runs on PostgreSQL: there is no database file. Mark a test that needs one [Trait(\"Category\", \"SqliteOnly\")].");

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
        if (_ownsDatabase) await Database.DisposeAsync();
        else if (Database.Postgres is null) SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
