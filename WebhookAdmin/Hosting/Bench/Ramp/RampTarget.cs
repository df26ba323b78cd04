using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;

namespace WebhookAdmin.Hosting.Bench.Ramp;

/// <summary>
/// The app the ramp publishes to, however it runs (<see cref="RampHost"/>): API clients with an admin token, one per
/// instance, and for apps this bench started, their CPU time and peak memory. With <c>--instances</c> the first
/// starts alone on the fresh database (it creates and migrates it); the ramp sets its workload up through it, then
/// <see cref="StartOthersAsync"/> starts the rest, which load that workload at start.
/// </summary>
public sealed class RampTarget : IAsyncDisposable
{
    private sealed record Instance(HttpClient Api, Process? Process, Func<ValueTask> Stop);

    private readonly List<Instance> _instances = [];
    private readonly BenchOptions _bench;
    private readonly BenchDatabase? _database;
    private long _next;

    private RampTarget(BenchOptions bench, BenchDatabase? database)
    {
        _bench = bench;
        _database = database;
    }

    /// <summary>The first instance: where the workload is set up.</summary>
    public HttpClient Api => _instances[0].Api;

    /// <summary>Each instance in turn, as a load balancer would.</summary>
    public HttpClient NextApi() => _instances[(int)((Interlocked.Increment(ref _next) - 1) % _instances.Count)].Api;

    public int Instances => _instances.Count;
    public string Description { get; private set; } = "";

    /// <summary>What the apps ran on: <c>SQLite</c>, <c>PostgreSQL</c>, or unknown for a remote app.</summary>
    public string Database => _database?.Provider switch
    {
        null => "as configured there",
        Data.DatabaseProvider.Postgres => "PostgreSQL",
        _ => "SQLite",
    };

    private IEnumerable<Process> Running => _instances.Select(i => i.Process).OfType<Process>().Where(p => !p.HasExited);

    /// <summary>CPU time of the apps' processes so far, together; null when they are not ours to read.</summary>
    public TimeSpan? Cpu() => _bench.Ramp.Host switch
    {
        RampHost.Process => Running.Aggregate(TimeSpan.Zero, (sum, p) => sum + Refreshed(p).TotalProcessorTime),
        RampHost.InProcess => Process.GetCurrentProcess().TotalProcessorTime,
        _ => null,
    };

    /// <summary>The largest peak working set of the apps' processes (each instance has its own 400 MB).</summary>
    public double? PeakWorkingSetMb()
    {
        var peaks = Running.Select(p => Refreshed(p).PeakWorkingSet64).ToList();
        return peaks.Count == 0 ? null : Math.Round(peaks.Max() / 1024.0 / 1024.0);
    }

    public static async Task<RampTarget> StartAsync(RampOptions options, BenchOptions bench)
    {
        if (options.Host == RampHost.Remote)
        {
            if (options.Target is null || options.TargetToken is null)
                throw new ArgumentException("--ramp-host remote needs --target <url> and --target-token <admin token>");
            var remote = new RampTarget(bench, null) { Description = $"remote {options.Target}" };
            remote._instances.Add(new(Client(new Uri(options.Target), options.TargetToken), null, () => ValueTask.CompletedTask));
            return remote;
        }
        var target = new RampTarget(bench, BenchDatabase.Create(bench));
        try
        {
            await target.StartInstanceAsync(1);
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    public async Task StartOthersAsync()
    {
        if (_database is null) return;
        for (var i = _instances.Count + 1; i <= _bench.Instances; i++) await StartInstanceAsync(i);
    }

    private async Task StartInstanceAsync(int number)
    {
        _instances.Add(_bench.Ramp.Host == RampHost.InProcess
            ? await InProcessAsync(_bench, _database!, number)
            : await ChildProcessAsync(_bench, _database!, number));
        var pids = string.Join(", ", _instances.Select(i => i.Process?.Id).OfType<int>());
        Description = _bench.Ramp.Host == RampHost.InProcess
            ? $"in-process × {_instances.Count}"
            : $"own process{(_instances.Count > 1 ? $"es × {_instances.Count}" : "")} (pid {pids}), Production";
    }

    private static async Task<Instance> InProcessAsync(BenchOptions bench, BenchDatabase database, int number)
    {
        var app = await BenchApp.StartAsync(bench, database: database, instance: BenchApps.NameOf(number));
        return new Instance(app.Api, null, app.DisposeAsync);
    }

    /// <summary>
    /// This very build, started again as a server: Production, Release if the bench is, the scenario's database, the
    /// bench's token. Its output goes to a file in the database's directory, so a full pipe never stalls it.
    /// </summary>
    private static async Task<Instance> ChildProcessAsync(BenchOptions bench, BenchDatabase database, int number)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var logFile = Path.Combine(database.Directory, $"app-{number}.log");
        // The shell sends the app's output to its log file (the bench's own stdout stays one report) and execs
        // it, so the shell's pid is the app's.
        var shell = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (string[])["-c", "exec \"$@\" >\"$WHA_LOG\" 2>&1", "sh", .. AppCommand(), "--urls", url])
            shell.ArgumentList.Add(argument);
        shell.Environment["WHA_LOG"] = logFile;
        shell.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in database.Settings) shell.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        shell.Environment["Instance__Name"] = BenchApps.NameOf(number);
        shell.Environment["Bootstrap__AdminEmail"] = "bench@example.com";
        shell.Environment["Bootstrap__AdminPassword"] = "Bench!12345";
        shell.Environment["Bootstrap__ApiToken"] = BenchApp.Token;
        shell.Environment["Bootstrap__DemoData"] = "false";
        shell.Environment["Delivery__AllowPrivateNetworks"] = "true";
        shell.Environment["Delivery__MaxConcurrency"] = bench.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
        shell.Environment["Logging__LogLevel__Default"] = Environment.GetEnvironmentVariable("WHA_BENCH_LOG") ?? "Warning";

        var process = Process.Start(shell) ?? throw new InvalidOperationException("Could not start the app");
        var api = Client(new Uri(url), BenchApp.Token);
        async ValueTask Stop()
        {
            api.Dispose();
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        try
        {
            await WaitUntilReadyAsync(api, process, logFile);
            return new Instance(api, process, Stop);
        }
        catch
        {
            await Stop();
            throw;
        }
    }

    private static async Task WaitUntilReadyAsync(HttpClient api, Process process, string logFile)
    {
        var deadline = Stopwatch.GetTimestamp() + 120 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The app exited with {process.ExitCode}: {await File.ReadAllTextAsync(logFile)}");
            try
            {
                using var response = await api.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("The app was not ready within two minutes");
    }

    private static HttpClient Client(Uri address, string token)
    {
        var api = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromMinutes(5),
        };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return api;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>How this build was started: its apphost, or <c>dotnet</c> with its dll.</summary>
    private static string[] AppCommand()
    {
        var self = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(self) == "dotnet" ? [self, Assembly.GetEntryAssembly()!.Location] : [self];
    }

    private static Process Refreshed(Process process)
    {
        process.Refresh();
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _instances.Count - 1; i >= 0; i--) await _instances[i].Stop();
        if (_database is not null) await _database.DisposeAsync();
    }
}
