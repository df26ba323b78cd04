using Microsoft.AspNetCore.Identity;
using WebhookAdmin.Features.Accounts;

namespace WebhookAdmin.Hosting;

/// <summary>
/// The commands of the contract, section 5. They build the same app (configuration, database,
/// migrations) but do not serve.
/// </summary>
public static class CommandLine
{
    public static async Task<bool> TryRunAsync(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) return false;
        switch (args[0])
        {
            case "create-token":
                Environment.ExitCode = await CreateTokenAsync(args[1..]);
                return true;
            case "backup":
                Environment.ExitCode = await BackupCommand.RunAsync(args[1..]);
                return true;
            case "copy-to-postgres":
                Environment.ExitCode = await CopyToPostgresCommand.RunAsync(args[1..]);
                return true;
            case "bench":
                Environment.ExitCode = await Bench.BenchCommand.RunAsync(args[1..]);
                return true;
            case "help" or "--help":
                Console.WriteLine("""
                    Usage: dotnet run --project WebhookAdmin -- [command]
                      (no command)                                    serve the app
                      create-token --email <user> --name <label> [--scopes a,b]
                                                                      print a new API token
                      backup --to <file>                              write a consistent copy of the SQLite database
                                                                      (also while the app serves); exit 0 once it is complete
                      copy-to-postgres --from <sqlite file>           copy a SQLite installation into the empty PostgreSQL database
                                                                      configured (Database__Provider=Postgres, ConnectionStrings__Default)
                      bench [options] [--json]                        run the load benchmark (see README)
                    """);
                return true;
            default:
                return false;
        }
    }

    private static async Task<int> CreateTokenAsync(string[] args)
    {
        var options = ParseOptions(args);
        if (!options.TryGetValue("email", out var email) || !options.TryGetValue("name", out var name))
        {
            Console.Error.WriteLine("Usage: create-token --email <user> --name <label> [--scopes webhooks,events:publish,admin]");
            return 2;
        }
        var scopes = options.TryGetValue("scopes", out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [Scopes.Webhooks];

        var builder = AppLocation.CreateBuilder(args.Where(a => a.Contains('=')).ToArray());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddWebhookAdmin();
        await using var app = builder.Build();
        await app.PrepareDatabaseAsync();

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            Console.Error.WriteLine($"No user has the email '{email}'.");
            return 1;
        }
        var result = await scope.ServiceProvider.GetRequiredService<ApiTokenService>()
            .CreateAsync(user.Id, user.IsAdmin, new CreateTokenRequest(name, scopes), CancellationToken.None);
        if (result is not Features.Common.ServiceResult<CreatedTokenResponse>.Success { Value: var created })
        {
            Console.Error.WriteLine(result.ErrorMessage);
            return 1;
        }
        Console.WriteLine(created.Token);
        return 0;
    }

    public static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var key = args[i][2..];
            var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
            options[key] = value;
        }
        return options;
    }
}
