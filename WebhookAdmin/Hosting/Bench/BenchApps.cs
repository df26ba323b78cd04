namespace WebhookAdmin.Hosting.Bench;

/// <summary>
/// The <c>--instances</c> of one scenario, in this process, on one fresh database. The first starts alone (it creates
/// and migrates the database); the scenario sets its webhooks up through it and then starts the others, which load
/// them at start (another instance's changes reach a running one a moment after their commit, through LISTEN/NOTIFY:
/// started after, no event can come before). Events go to each in turn, as a load balancer would send them.
/// </summary>
public sealed class BenchApps : IAsyncDisposable
{
    private readonly BenchOptions _options;
    private readonly BenchDatabase _database;
    private readonly List<BenchApp> _apps = [];
    private long _next;

    private BenchApps(BenchOptions options, BenchDatabase database)
    {
        _options = options;
        _database = database;
    }

    public BenchApp First => _apps[0];

    public static string NameOf(int instance) => $"bench-{instance}";

    public HttpClient NextApi() => _apps[(int)((Interlocked.Increment(ref _next) - 1) % _apps.Count)].Api;

    public static async Task<BenchApps> StartFirstAsync(BenchOptions options)
    {
        var apps = new BenchApps(options, BenchDatabase.Create(options));
        try
        {
            apps._apps.Add(await BenchApp.StartAsync(options, database: apps._database, instance: NameOf(1)));
            return apps;
        }
        catch
        {
            await apps.DisposeAsync();
            throw;
        }
    }

    public async Task StartOthersAsync()
    {
        for (var i = _apps.Count + 1; i <= _options.Instances; i++)
            _apps.Add(await BenchApp.StartAsync(_options, database: _database, instance: NameOf(i)));
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _apps.Count - 1; i >= 0; i--) await _apps[i].DisposeAsync();
        await _database.DisposeAsync();
    }
}
