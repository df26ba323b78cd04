using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting.Cluster;

/// <summary>
/// Several instances of the app (contract, section 7) on one PostgreSQL database: each the built app in a process of
/// its own, in Production, configured only by environment variables, named <c>A</c>, <c>B</c>, <c>C</c>
/// (<c>Instance:Name</c>, so each attempt and each lease says who made it). Disposing kills them and drops the database.
/// </summary>
public sealed class AppCluster : IAsyncDisposable
{
    public static readonly string[] Names = ["A", "B", "C"];

    /// <summary>The app as <c>dotnet build</c> left it beside these tests (the test project references it).</summary>
    private static readonly string AppDll = Path.Combine(Dotnet.Project, "bin", Dotnet.Configuration, "net10.0", "WebhookAdmin.dll");

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    private readonly List<ClusterInstance> _instances = [];

    private AppCluster(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }

    public IReadOnlyList<ClusterInstance> Instances => _instances;

    public ClusterInstance this[string name] => _instances.Single(i => i.Name == name);

    /// <summary>
    /// Starts A, then B and C side by side (or all three at once, <paramref name="together"/>), and waits until each
    /// answers <c>/readyz</c>. <paramref name="settings"/> are environment variables on top of the cluster's own.
    /// </summary>
    public static async Task<AppCluster> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null, bool together = false, TestDatabase? database = null)
    {
        Assert.True(File.Exists(AppDll), $"The app is not built at {AppDll}: build the solution before the tests.");
        var cluster = new AppCluster(database ?? TestDatabase.Create());
        try
        {
            if (together)
            {
                await Task.WhenAll(Names.Select(name => cluster.StartInstanceAsync(name, settings)));
            }
            else
            {
                // The first migrates the new database and creates the administrator; the others find both there.
                await cluster.StartInstanceAsync(Names[0], settings);
                await Task.WhenAll(Names.Skip(1).Select(name => cluster.StartInstanceAsync(name, settings)));
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartInstanceAsync(string name, IReadOnlyDictionary<string, string>? settings)
    {
        var environment = new Dictionary<string, string>(Database.Environment)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // A pool each that leaves room on the CI cluster for the tests running beside these.
            ["ConnectionStrings__Default"] = Database.ConnectionString + ";Maximum Pool Size=30",
            ["Instance__Name"] = name,
            ["Bootstrap__AdminEmail"] = TestApp.AdminEmail,
            ["Bootstrap__AdminPassword"] = TestApp.AdminPassword,
            ["Bootstrap__ApiToken"] = TestApp.AdminToken,
            ["Bootstrap__DemoData"] = "false",
            ["Delivery__AllowPrivateNetworks"] = "true",
            // Warnings and errors, and the start-up lines AppProcess reads the address from.
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key] = value;

        var process = await AppProcess.StartAsync([AppDll], Path.GetDirectoryName(AppDll)!, environment);
        var instance = new ClusterInstance(name, process);
        lock (_instances) _instances.Add(instance);
        await instance.WaitUntilReadyAsync(ReadyTimeout);
    }

    /// <summary>
    /// One value of a query on the shared database, for the checks the API cannot make (which instance made an attempt,
    /// which lease holds a row); the app's tables are those of <c>Data/AppDbContext</c>.
    /// </summary>
    public async Task<long> CountAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var rows = await Database.QueryAsync(sql, parameters);
        return Convert.ToInt64(rows.Single()[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>One running instance: its process, its address, an API client with the bootstrap token, what a client does through it.</summary>
public sealed class ClusterInstance(string name, AppProcess process) : IAsyncDisposable
{
    public string Name { get; } = name;

    public AppProcess Process { get; } = process;

    public Uri BaseAddress => Process.BaseAddress;

    public HttpClient Api { get; } = new()
    {
        BaseAddress = process.BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", TestApp.AdminToken) },
    };

    /// <summary>The prefix of every lease this instance takes (<c>OutboxInstance.Id</c>: its name, a colon, a random part).</summary>
    public string LeasePrefix => Name + ":";

    public bool Killed { get; private set; }

    /// <summary>Publishes one event to the project through this instance: its id and how many deliveries it fanned out to.</summary>
    public async Task<(string Id, int Deliveries)> PublishAsync()
    {
        var published = await Api.PostOk("/api/v1/events", Event(0), HttpStatusCode.Accepted);
        return (published.Str("id"), published.GetProperty("deliveries").GetInt32());
    }

    /// <summary>Publishes <paramref name="count"/> events in one batch through this instance; answers the deliveries stored.</summary>
    public async Task<int> PublishBatchAsync(int count)
    {
        var accepted = await Api.PostOk("/api/v1/events/batch", Enumerable.Range(0, count).Select(Event).ToArray(), HttpStatusCode.Accepted);
        Assert.Equal(count, accepted.GetProperty("accepted").GetInt32());
        return accepted.GetProperty("deliveries").GetInt32();
    }

    /// <summary>The one delivery of <paramref name="eventId"/> to <paramref name="webhookId"/>, as this instance's API shows it.</summary>
    public async Task<JsonElement> DeliveryAsync(string webhookId, string eventId)
    {
        var page = await Api.GetOk($"/api/v1/deliveries?webhookId={webhookId}&eventId={eventId}");
        return Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    private static object Event(int n) =>
        new { @event = "TODO_CREATED", projectId = DeliveryWorld.ProjectId, currentValue = new { id = $"todo_{n}", title = "Draft" } };

    /// <summary><c>kill -9</c>: the process ends in the middle of whatever it does, holding its leases.</summary>
    public async Task KillAsync()
    {
        Killed = true;
        await Process.KillAsync();
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await Eventually.ReturnsAsync(async () =>
            {
                try
                {
                    using var response = await probe.GetAsync("/readyz", TestContext.Current.CancellationToken);
                    return response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return (HttpStatusCode)0;
                }
            }, status => status == HttpStatusCode.OK, $"instance {Name} to answer /readyz with 200", timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Process.Output}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        var output = Process.Output;
        await Process.DisposeAsync();
        // What it logged (warnings and errors), so that a red test shows what each instance went through.
        if (output.Length > 0)
            TestContext.Current.TestOutputHelper?.WriteLine($"--- instance {Name} ---\n{Tail(output, 8000)}");
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : "…" + text[^length..];
}
