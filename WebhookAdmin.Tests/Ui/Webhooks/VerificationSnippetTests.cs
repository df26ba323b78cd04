using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WebhookAdmin.Features.Webhooks.Pages;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Webhooks;

/// <summary>
/// The receiver code shown with a new secret, run against real signed deliveries: the C# verifier is compiled
/// into this assembly, the Node.js and Python ones run in their interpreters.
/// </summary>
public sealed class VerificationSnippetTests() : WorldTests(WorldOptions.Default)
{
    private string _webhookId = null!;
    private string _secret = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var webhook = await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor() }, HttpStatusCode.Created);
        (_webhookId, _secret) = (webhook.Str("id"), webhook.Str("secret"));
    }

    private async Task<ReceivedRequest> DeliveryAsync()
    {
        var before = Receiver.Requests.Count;
        await Admin.PostOk("/api/v1/events", new { @event = "COMMENT_CREATED", projectId = "p1", currentValue = new { text = "Olá, ünïcode ✓" } }, HttpStatusCode.Accepted);
        return (await Receiver.WaitForAsync(before + 1))[before];
    }

    [Fact]
    public async Task The_CSharp_verifier_accepts_a_real_delivery_and_refuses_a_changed_body_a_wrong_secret_or_a_missing_header()
    {
        var request = await DeliveryAsync();

        Assert.True(WebhookSignature.IsValid([_secret], request.Body, request.Headers));
        Assert.False(WebhookSignature.IsValid([_secret], [.. request.Body, (byte)' '], request.Headers));
        Assert.False(WebhookSignature.IsValid(["whsec_" + Convert.ToBase64String(new byte[32])], request.Body, request.Headers));
        Assert.False(WebhookSignature.IsValid([_secret], request.Body, Without(request.Headers, "X-Signature")));
        Assert.False(WebhookSignature.IsValid([_secret], request.Body, Without(request.Headers, "webhook-signature")));
    }

    [Fact]
    public async Task During_a_rotation_the_CSharp_verifier_accepts_with_both_secrets_configured()
    {
        var rotated = await Admin.PostOk($"/api/v1/webhooks/{_webhookId}/rotate-secret", new { overlap = "24:00:00" });
        var request = await DeliveryAsync();

        Assert.True(WebhookSignature.IsValid([rotated.Str("secret"), _secret], request.Body, request.Headers));
        // X-Signature always uses the new secret: a receiver still on the old one must add the new one (the dialog says so).
        Assert.False(WebhookSignature.IsValid([_secret], request.Body, request.Headers));
    }

    [Fact]
    public async Task The_Nodejs_verifier_accepts_a_real_delivery_and_refuses_a_changed_body()
    {
        var request = await DeliveryAsync();
        const string harness = """

            const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
            process.stdout.write(isFromWebhookAdmin(Buffer.from(input.body, "base64"), input.headers) ? "valid" : "invalid");
            """;
        var script = VerificationSnippets.Node.Verifier + harness;

        Assert.Equal("valid", await RunAsync("node", ".js", script, request.Body, request.Headers));
        Assert.Equal("invalid", await RunAsync("node", ".js", script, [.. request.Body, (byte)' '], request.Headers));
    }

    [Fact]
    public async Task The_Python_verifier_accepts_a_real_delivery_and_refuses_a_changed_body()
    {
        Assert.SkipUnless(Has("python3"), "python3 is not installed here.");
        var request = await DeliveryAsync();
        const string harness = """


            import json, sys
            class Headers(dict):
                def get(self, key, default=None):
                    return next((v for k, v in self.items() if k.lower() == key.lower()), default)
            data = json.load(sys.stdin)
            print("valid" if is_from_webhookadmin(base64.b64decode(data["body"]), Headers(data["headers"])) else "invalid", end="")
            """;
        var script = VerificationSnippets.Python.Verifier + harness;

        Assert.Equal("valid", await RunAsync("python3", ".py", script, request.Body, request.Headers));
        Assert.Equal("invalid", await RunAsync("python3", ".py", script, [.. request.Body, (byte)' '], request.Headers));
    }

    [Fact]
    public void Every_language_shows_the_verifier_followed_by_a_ready_endpoint()
    {
        Assert.Equal(["C#", "Node.js", "Python"], VerificationSnippets.All.Select(s => s.Label));
        Assert.All(VerificationSnippets.All, snippet =>
        {
            Assert.Contains("WEBHOOK_SECRET", snippet.Code);
            Assert.Contains("webhook-signature", snippet.Code);
            Assert.Contains("X-Signature", snippet.Code, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("/webhooks", snippet.Server);
        });
    }

    private async Task<string> RunAsync(string interpreter, string extension, string script, byte[] body, IHeaderDictionary headers)
    {
        var file = Path.Combine(App.DataFolder, "verify" + Guid.NewGuid().ToString("N") + extension);
        await File.WriteAllTextAsync(file, script, Xunit.TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo(interpreter, [file]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["WEBHOOK_SECRET"] = _secret;
        using var process = Process.Start(start)!;
        var input = JsonSerializer.Serialize(new
        {
            body = Convert.ToBase64String(body),
            // Node (Express) sees header names in lower case; the Python harness looks them up case-insensitively.
            headers = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
        });
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync(Xunit.TestContext.Current.CancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(Xunit.TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(Xunit.TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"{interpreter} failed: {errors}");
        return output;
    }

    private static IHeaderDictionary Without(IHeaderDictionary headers, string name) =>
        new HeaderDictionary(headers.Where(h => !h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).ToDictionary(h => h.Key, h => h.Value));

    private static bool Has(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
