using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Operations;

/// <summary>
/// Console logs as an operator configures them: <c>Logging:Console:FormatterName=json</c> gives one JSON object a
/// line, and nothing secret is in them at any level, Trace included, through a run that handles every kind of secret.
/// </summary>
public sealed class LogTests
{
    private static readonly string[] PublishScope = ["events:publish"];

    [Fact]
    public async Task Json_console_logs_at_every_level_carry_no_secret_or_token()
    {
        FormattedLogCapture? capture = null;
        await using var receiver = await TestReceiver.StartAsync();
        await using var world = await DeliveryWorld.StartAsync(new WorldOptions
        {
            FakeClock = true,
            Settings = Everything(),
            Receiver = receiver,
            Services = services => services.AddSingleton<ILoggerProvider>(sp => capture = ActivatorUtilities.CreateInstance<FormattedLogCapture>(sp)),
        });

        var secrets = await HandleEverySecretAsync(world, receiver);
        var log = capture!.Text;

        foreach (var secret in secrets)
            Assert.False(log.Contains(secret, StringComparison.Ordinal), $"The log holds a secret ({secret[..6]}…)");
        var entries = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(entries, e => Assert.True(e.TryGetProperty("Category", out _) && e.TryGetProperty("LogLevel", out _)));
        // Proof that the levels below Information were let through and looked at.
        Assert.Contains(entries, e => e.GetProperty("LogLevel").GetString() == "Trace");
        Assert.Contains(entries, e => e.GetProperty("LogLevel").GetString() == "Debug");
        Assert.Equal("json", capture.Formatter.Name);
    }

    /// <summary>Every level of every category to the capture; nothing to the real console, which the tests share.</summary>
    private static Dictionary<string, string?> Everything() => new()
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        ["Logging:LogLevel:Quartz"] = "Trace",
        ["Logging:Console:LogLevel:Default"] = "None",
        ["Logging:Console:FormatterName"] = "json",
        ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
    };

    /// <summary>Passwords, API tokens and signing secrets, each used the way a client uses it; answers them all.</summary>
    private static async Task<List<string>> HandleEverySecretAsync(DeliveryWorld world, TestReceiver receiver)
    {
        var signedIn = await world.Admin.PostOk("/api/v1/auth/tokens",
            new { email = TestApp.AdminEmail, password = TestApp.AdminPassword, name = "cli" }, HttpStatusCode.Created);
        var publisherToken = (await world.Admin.PostOk("/api/v1/tokens", new { name = "publisher", scopes = PublishScope },
            HttpStatusCode.Created)).Str("token");
        var (webhookId, secret) = await world.CreateWebhookAsync(receiver.UrlFor());

        using var publisher = world.App.Api(publisherToken);
        await publisher.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = DeliveryWorld.ProjectId }, HttpStatusCode.Accepted);
        await receiver.WaitForAsync(1);
        var rotated = (await world.Admin.PostOk($"/api/v1/webhooks/{webhookId}/rotate-secret", new { overlap = "01:00:00" })).Str("secret");
        await world.Admin.PostOk($"/api/v1/webhooks/{webhookId}/test", new { @event = "TODO_CREATED" });
        using (var wrong = world.App.Api("wha_not_a_real_token_0123456789"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Admin.GetAsync("/metrics")).StatusCode);

        return
        [
            TestApp.AdminToken, TestApp.AdminPassword, signedIn.Str("token"), publisherToken, "wha_not_a_real_token_0123456789",
            secret, secret["whsec_".Length..], rotated, rotated["whsec_".Length..],
        ];
    }
}
