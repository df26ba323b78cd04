using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Infrastructure;

/// <summary>
/// The app published as the README tells operators (<c>dotnet publish -c Release</c>) into a temporary folder,
/// once per test class: publishing compiles the app again, about half a minute on 2 cores.
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "wha-tests", "publish-" + Guid.NewGuid().ToString("N"));

    public string Dll => Path.Combine(Folder, "WebhookAdmin.dll");

    public async ValueTask InitializeAsync() =>
        // No build servers: a compiler server or MSBuild node started here would outlive the command with its
        // output pipe open, and waiting for the command's output would wait for them. The test build restored.
        await Dotnet.RunAsync(
            ["publish", Dotnet.Project, "-c", "Release", "-o", Folder, "--no-restore", "--nologo", "--disable-build-servers"],
            TimeSpan.FromMinutes(5));

    public ValueTask DisposeAsync()
    {
        try { System.IO.Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
