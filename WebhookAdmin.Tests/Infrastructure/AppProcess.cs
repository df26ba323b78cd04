using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>
/// The app in a process of its own, started as an operator starts it (<c>dotnet run</c>, or <c>dotnet
/// WebhookAdmin.dll</c> in a published folder), configured by environment variables only, on a port Kestrel
/// picks. Unlike <see cref="TestApp"/> nothing of the test host leaks in (its environment, its static web
/// assets set-up). Disposing kills the whole process tree: <c>dotnet run</c> is the app's parent.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    /// <summary>Generous: <c>dotnet run</c> evaluates the project first, and other builds may share the 2 cores.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, line) => Record(line.Data);
        _process.ErrorDataReceived += (_, line) => Record(line.Data);
        _process.Exited += (_, _) => _started.TrySetException(
            new InvalidOperationException($"The app exited before it started:\n{Output}"));
    }

    /// <summary>Where it listens, as its start-up log says ("Now listening on").</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The environment it runs in, as its start-up log says ("Hosting environment").</summary>
    public string Environment { get; private set; } = "";

    /// <summary>Where it looks for appsettings.json and wwwroot/, as its start-up log says ("Content root path").</summary>
    public string ContentRoot { get; private set; } = "";

    /// <summary>Everything it wrote so far (standard output and error).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="arguments">The dotnet command line, without the listening address (this adds it).</param>
    /// <param name="workingDirectory">Where the operator's shell is.</param>
    /// <param name="settings">Environment variables, e.g. <c>ASPNETCORE_ENVIRONMENT</c>, <c>ConnectionStrings__Default</c>.</param>
    public static async Task<AppProcess> StartAsync(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo(Dotnet.Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Port 0: Kestrel picks a free one and says which, so two runs (or other engineers' apps) never collide.
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        // Only what the test says: an environment name or address exported in the shell running the tests must
        // not decide the outcome.
        foreach (var key in start.Environment.Keys.Where(IsHostingVariable).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in settings)
            start.Environment[key] = value;

        var app = new AppProcess(start);
        try
        {
            app._process.Start();
            app._process.BeginOutputReadLine();
            app._process.BeginErrorReadLine();
            await app._started.Task.WaitAsync(StartTimeout, Xunit.TestContext.Current.CancellationToken);
            return app;
        }
        catch (TimeoutException e)
        {
            await app.DisposeAsync();
            throw new TimeoutException($"The app did not start within {StartTimeout}:\n{app.Output}", e);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static bool IsHostingVariable(string key) =>
        key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || key is "DOTNET_ENVIRONMENT" or "DOTNET_URLS" or "DOTNET_CONTENTROOT";

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        // The host logs these in this order once the app is up; the content root comes last.
        if (LogValue().Match(line) is not { Success: true } match) return;
        var value = match.Groups["value"].Value;
        switch (match.Groups["name"].Value)
        {
            case "Now listening on" when BaseAddress is null:
                BaseAddress = new Uri(value);
                break;
            case "Hosting environment":
                Environment = value;
                break;
            case "Content root path":
                ContentRoot = value;
                _started.TrySetResult();
                break;
        }
    }

    [GeneratedRegex(@"^\s*(?<name>Now listening on|Hosting environment|Content root path): (?<value>\S+)\s*$")]
    private static partial Regex LogValue();

    /// <summary>
    /// Ends the process tree at once, as a crash or <c>kill -9</c> does: on Linux <see cref="Process.Kill(bool)"/> sends
    /// SIGKILL, so nothing of a graceful stop runs (no hosted service stops, no lease is handed back). Returns once it is gone.
    /// </summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone: nothing left to stop.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
