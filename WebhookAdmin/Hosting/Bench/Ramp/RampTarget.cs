using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;

namespace WebhookAdmin.Hosting.Bench.Ramp;

/// <summary>
/// The app the ramp publishes to, however it runs (<see cref="RampHost"/>): an API client with an admin token, and
/// for an app this bench started, its CPU time and peak memory.
/// </summary>
public sealed class RampTarget : IAsyncDisposable
{
    private readonly Func<ValueTask> _stop;
    private readonly Process? _process;

    private RampTarget(HttpClient api, Process? process, Func<ValueTask> stop, string description)
    {
        Api = api;
        _process = process;
        _stop = stop;
        Description = description;
    }

    public HttpClient Api { get; }
    public string Description { get; }

    /// <summary>CPU time of the app's process so far; null when it is not ours to read.</summary>
    public TimeSpan? Cpu() => _process is { HasExited: false } p ? Refreshed(p).TotalProcessorTime
        : _process is null && Description == "in-process" ? Process.GetCurrentProcess().TotalProcessorTime : null;

    public double? PeakWorkingSetMb() => _process is { HasExited: false } p ? Math.Round(Refreshed(p).PeakWorkingSet64 / 1024.0 / 1024.0) : null;

    public static async Task<RampTarget> StartAsync(RampOptions options, BenchOptions bench) => options.Host switch
    {
        RampHost.Remote => Remote(options),
        RampHost.InProcess => await InProcessAsync(bench),
        _ => await ChildProcessAsync(bench),
    };

    private static RampTarget Remote(RampOptions options)
    {
        if (options.Target is null || options.TargetToken is null)
            throw new ArgumentException("--ramp-host remote needs --target <url> and --target-token <admin token>");
        return new RampTarget(Client(new Uri(options.Target), options.TargetToken), null, () => ValueTask.CompletedTask, $"remote {options.Target}");
    }

    private static async Task<RampTarget> InProcessAsync(BenchOptions bench)
    {
        var app = await BenchApp.StartAsync(bench);
        return new RampTarget(app.Api, null, app.DisposeAsync, "in-process");
    }

    /// <summary>
    /// This very build, started again as a server: Production, Release if the bench is, a fresh SQLite file, the
    /// bench's token. Its output goes to a file next to the database, so a full pipe never stalls it.
    /// </summary>
    private static async Task<RampTarget> ChildProcessAsync(BenchOptions bench)
    {
        var directory = Path.Combine(Path.GetTempPath(), "webhookadmin-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var url = $"http://127.0.0.1:{FreePort()}";
        var logFile = Path.Combine(directory, "app.log");
        // The shell sends the app's output to its log file (the bench's own stdout stays one report) and execs
        // it, so the shell's pid is the app's.
        var shell = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (string[])["-c", "exec \"$@\" >\"$WHA_LOG\" 2>&1", "sh", .. AppCommand(), "--urls", url])
            shell.ArgumentList.Add(argument);
        shell.Environment["WHA_LOG"] = logFile;
        shell.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        shell.Environment["ConnectionStrings__Default"] = $"Data Source={Path.Combine(directory, "bench.db")}";
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
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
        var target = new RampTarget(api, process, Stop, $"own process (pid {process.Id}), Production");
        try
        {
            await WaitUntilReadyAsync(api, process, logFile);
            return target;
        }
        catch
        {
            await target.DisposeAsync();
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

    public ValueTask DisposeAsync() => _stop();
}
