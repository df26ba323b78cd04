using System.Diagnostics;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Accounts;

/// <summary>
/// <c>dotnet run --project WebhookAdmin -- create-token …</c> (contract, section 5), run as its own process
/// on a fresh database file; the token it prints must then work against the app serving that file.
/// </summary>
public sealed class CreateTokenCommandTests : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wha-tests", "cli-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "app.db");

    [Fact]
    public async Task Create_token_prints_a_token_that_works_against_the_app_on_the_same_database()
    {
        var (exit, output, error) = await RunAsync("create-token", "--email", TestApp.AdminEmail, "--name", "from the cli", "--scopes", "webhooks,admin");

        Assert.True(exit == 0, $"exit {exit}: {error}");
        var token = output.Trim().Split('\n').Last().Trim();
        Assert.Matches("^wha_[A-Za-z0-9_-]{43}$", token);

        await using var app = new TestApp(databasePath: DatabasePath);
        var client = app.Api(token);
        var listed = await client.GetOk("/api/v1/tokens");
        Assert.Contains(listed.EnumerateArray(), t => t.Str("name") == "from the cli");
        await client.PutOk("/api/v1/companies/cli-co", new { name = "Made with the CLI token" });
        await client.GetOk("/api/v1/webhooks");
        using var noPublish = await client.PostAsync("/api/v1/events", null, Test.Ct);
        // admin implies every scope, so this is refused for its (missing) body, not for the token.
        await noPublish.AssertProblemAsync(400, "body");
    }

    [Fact]
    public async Task Create_token_for_an_unknown_email_fails_with_a_message_and_a_nonzero_exit_code()
    {
        var (exit, output, error) = await RunAsync("create-token", "--email", "nobody@cli.test", "--name", "x");

        Assert.Equal(1, exit);
        Assert.Contains("nobody@cli.test", error);
        Assert.DoesNotContain("wha_", output);
    }

    [Fact]
    public async Task Create_token_without_a_name_prints_its_usage_and_exits_2()
    {
        var (exit, _, error) = await RunAsync("create-token", "--email", TestApp.AdminEmail);

        Assert.Equal(2, exit);
        Assert.Contains("Usage: create-token", error);
    }

    /// <summary>Runs the app's own entry point (WebhookAdmin.dll, as dotnet run would) with a temporary database and bootstrap admin.</summary>
    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments)
    {
        Directory.CreateDirectory(_directory);
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Default"] = $"Data Source={DatabasePath}";
        start.Environment["Bootstrap__AdminEmail"] = TestApp.AdminEmail;
        start.Environment["Bootstrap__AdminPassword"] = TestApp.AdminPassword;
        start.Environment["Bootstrap__DemoData"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Test.Ct);
        var error = process.StandardError.ReadToEndAsync(Test.Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Test.Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
