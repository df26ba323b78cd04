using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebhookAdmin.Features.Deliveries.Destinations;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Deliveries.Destinations;

/// <summary>The app as it runs in production: <c>Delivery:AllowPrivateNetworks=false</c>, with a scripted DNS.</summary>
public sealed class GuardedWorld : IAsyncLifetime
{
    public ScriptedResolver Dns { get; } = new();
    public TestApp App { get; }
    public TestReceiver Receiver { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;

    public GuardedWorld() => App = new TestApp(
        new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "false" },
        services: services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IDestinationResolver>(Dns));
            ServerErrors.Register(services);
        });

    /// <summary>Every 5xx the app answered; test classes check it after each test.</summary>
    public ServerErrorLog ServerErrors { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Receiver = await TestReceiver.StartAsync();
        Admin = App.Api();
        await Admin.CompanyAsync("guard-co", "Guard Co");
        await Admin.ProjectAsync("guard-p", "guard-co");
        await Admin.MemberAsync("guard-p", TestApp.AdminEmail, "admin");
        Dns.Answer("public.test", ["93.184.216.34"]);
        Dns.Answer("internal.test", ["10.1.2.3"]);
        Dns.Answer("metadata.test", ["169.254.169.254"]);
        Dns.Answer("mixed.test", ["93.184.216.34", "127.0.0.1"]);
        Dns.Answer("six.test", ["2606:4700:4700::1111", "::1"]);
    }

    public async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await App.DisposeAsync();
    }
}

/// <summary>
/// The SSRF guard: a URL that resolves to a loopback, private, link-local, CGNAT or metadata address is
/// refused when saved, with the rule in the message; and it is checked again on the address actually
/// connected to, so a DNS answer that changes after validation cannot reach the inside.
/// </summary>
public sealed class DestinationGuardTests(GuardedWorld world) : IClassFixture<GuardedWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    [Theory]
    [InlineData("http://127.0.0.1/hook", "loopback")]
    [InlineData("http://10.0.0.5/hook", "private network")]
    [InlineData("http://172.16.0.1/hook", "private network")]
    [InlineData("http://172.31.255.1:8443/hook", "private network")]
    [InlineData("http://192.168.0.10/hook", "private network")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "cloud metadata")]
    [InlineData("http://100.64.0.1/hook", "carrier-grade NAT")]
    [InlineData("http://0.0.0.0/hook", "unspecified")]
    [InlineData("http://[::1]/hook", "loopback")]
    [InlineData("http://[::1]:8080/hook", "loopback")]
    [InlineData("http://[fe80::1]/hook", "link-local")]
    [InlineData("http://[fe80::1%25eth0]/hook", "link-local")]
    [InlineData("http://[::]/hook", "unspecified")]
    [InlineData("http://0/hook", "unspecified")]
    [InlineData("http://[fc00::1]/hook", "unique-local")]
    [InlineData("http://[::ffff:127.0.0.1]/hook", "loopback")]
    [InlineData("http://[fd00:ec2::254]/hook", "cloud metadata")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/hook", "cloud metadata")]
    [InlineData("http://localhost/hook", "loopback")]
    [InlineData("http://localhost:5080/hook", "loopback")]
    [InlineData("http://127.1/hook", "loopback")]
    [InlineData("http://2130706433/hook", "loopback")]
    [InlineData("http://0x7f000001/hook", "loopback")]
    [InlineData("https://internal.test/hook", "private network")]
    [InlineData("https://metadata.test/hook", "cloud metadata")]
    [InlineData("https://mixed.test/hook", "loopback")]
    [InlineData("https://six.test/hook", "loopback")]
    public async Task Creating_a_webhook_whose_url_resolves_to_a_blocked_range_answers_400_naming_the_rule(string url, string rule)
    {
        var rowsBefore = await world.App.RowsAsync();

        using var response = await world.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url }, Test.Ct);

        var problem = await response.AssertProblemAsync(400, "url");
        Assert.Contains(rule, problem.ErrorText());
        Assert.Contains("refused", problem.ErrorText());
        Assert.Equal(rowsBefore, await world.App.RowsAsync());
    }

    [Theory]
    [InlineData("ftp://public.test/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://public.test/")]
    [InlineData("ws://public.test/hook")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/plain,hello")]
    public async Task A_url_that_is_not_http_or_https_is_refused(string url)
    {
        using var response = await world.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url }, Test.Ct);
        var problem = await response.AssertProblemAsync(400, "url");
        Assert.Contains("http and https", problem.ErrorText());
    }

    [Theory]
    [InlineData("/relative/hook")]
    [InlineData("public.test/hook")]
    [InlineData("https://")]
    [InlineData("not a url")]
    public async Task A_url_that_is_not_absolute_is_refused_as_such(string url)
    {
        using var response = await world.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url }, Test.Ct);
        var problem = await response.AssertProblemAsync(400, "url");
        Assert.Contains("not a valid absolute URL", problem.ErrorText());
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_is_refused_with_a_message_saying_so()
    {
        using var response = await world.Admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://no-such-host.invalid/hook" }, Test.Ct);
        var problem = await response.AssertProblemAsync(400, "url");
        Assert.Contains("could not be resolved", problem.ErrorText());
    }

    [Fact]
    public async Task A_public_url_is_accepted_and_changing_it_to_a_blocked_one_is_refused_and_keeps_the_old_url()
    {
        var created = await world.Admin.PostOk("/api/v1/webhooks", new { url = "https://public.test/hook" }, HttpStatusCode.Created);
        var id = created.Str("id");

        foreach (var url in new[] { "http://169.254.169.254/", "http://[::1]/hook", "http://localhost/hook", "https://internal.test/x" })
        {
            using var response = await world.Admin.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { url }, Test.Ct);
            var problem = await response.AssertProblemAsync(400, "url");
            Assert.Contains("refused", problem.ErrorText());
        }
        Assert.Equal("https://public.test/hook", (await world.Admin.GetOk($"/api/v1/webhooks/{id}")).Str("url"));
    }

    [Fact]
    public async Task A_DNS_answer_that_turns_to_loopback_after_validation_is_blocked_at_connect_time_and_the_receiver_gets_nothing()
    {
        // Validation sees a public address; every later lookup (the connections) answers loopback, where the receiver listens.
        var host = $"rebind-{Guid.NewGuid():N}.test";
        world.Dns.Answer(host, ["93.184.216.34"], ["127.0.0.1"]);
        var url = $"http://{host}:{world.Receiver.Url.Port}/hook";
        var webhook = (await world.Admin.PostOk("/api/v1/webhooks", new { url, projectIds = new[] { "guard-p" } }, HttpStatusCode.Created)).Str("id");
        Assert.Equal(1, world.Dns.Lookups(host));

        // The test send, answered at once…
        var test = await world.Admin.PostOk($"/api/v1/webhooks/{webhook}/test", new { @event = "TODO_CREATED" });
        Assert.False(test.GetProperty("ok").GetBoolean());
        Assert.Contains("blocked", test.Str("error"));
        Assert.Contains("127.0.0.1", test.Str("error"));
        Assert.Contains("loopback", test.Str("error"));

        // …and a published event, sent by the outbox.
        var eventId = (await world.Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "guard-p" }, HttpStatusCode.Accepted)).Str("id");
        var deliveryId = (await world.Admin.GetOk($"/api/v1/deliveries?eventId={eventId}&webhookId={webhook}")).GetProperty("items")[0].GetProperty("id").GetInt64();
        var delivery = await Eventually.ReturnsAsync(() => world.Admin.GetOk($"/api/v1/deliveries/{deliveryId}"),
            d => d.GetProperty("attemptLog").GetArrayLength() > 0, "the first attempt", TimeSpan.FromSeconds(60));
        var attempt = delivery.GetProperty("attemptLog")[0];
        Assert.Contains("blocked", attempt.Str("error"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, attempt.GetProperty("statusCode").ValueKind);

        Assert.True(world.Dns.Lookups(host) >= 3, "each connection looked the name up again");
        Assert.Empty(world.Receiver.Requests);
    }
}
