using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>The dotnet command line, as an operator types it: publish, run.</summary>
public static class Dotnet
{
    /// <summary>The host that runs these tests (<c>dotnet test</c> says where), else the one on PATH.</summary>
    public static string Executable { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Debug or Release: the configuration these tests, and so the app beside them, were built in.</summary>
    public static string Configuration { get; } =
        typeof(Dotnet).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The web project's folder in this checkout.</summary>
    public static string Project { get; } = Path.Combine(Ui.Infrastructure.Repository.Root, "WebhookAdmin");

    /// <summary>Runs a command to its end; its output comes back in the exception if it fails.</summary>
    public static async Task RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = Ui.Infrastructure.Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', start.ArgumentList)} took longer than {timeout}:\n{output}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{output}");
    }
}
