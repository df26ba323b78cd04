using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Accounts;

/// <summary>
/// <c>dotnet run --project WebhookAdmin -- create-token …</c> (contract, section 5), run as its own process
/// on a fresh database; the token it prints must then work against the app serving that database.
/// </summary>
public sealed class CreateTokenCommandTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wha-cli-").FullName;
    private readonly TestDatabase _database = TestDatabase.Create();

    [Fact]
    public async Task Create_token_prints_a_token_that_works_against_the_app_on_the_same_database()
    {
        var (exit, output, error) = await RunAsync("create-token", "--email", TestApp.AdminEmail, "--name", "from the cli", "--scopes", "webhooks,admin");

        Assert.True(exit == 0, $"exit {exit}: {error}");
        var token = output.Trim().Split('\n').Last().Trim();
        Assert.Matches("^wha_[A-Za-z0-9_-]{43}$", token);

        await using var app = new TestApp(database: _database);
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

    /// <summary>Runs the app's own entry point (WebhookAdmin.dll, as dotnet run would) on the test's database, with a bootstrap admin.</summary>
    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var environment = new Dictionary<string, string>(_database.Environment)
        {
            ["Bootstrap__AdminEmail"] = TestApp.AdminEmail,
            ["Bootstrap__AdminPassword"] = TestApp.AdminPassword,
            ["Bootstrap__DemoData"] = "false",
        };
        var (exit, output, error) = await CliCommand.RunAsync(_directory, environment, arguments);
        return (exit, output, error);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
