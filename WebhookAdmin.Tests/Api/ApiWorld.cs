using System.Collections.Concurrent;
using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Api;

/// <summary>
/// One app shared by a test class: a company with one project, two ordinary users who are both members
/// (Alice owns the webhooks under test, Bob is the "someone else"), tokens with every mix of scopes, and a
/// receiver that answers 200. Tests create their own webhooks and deliveries, so they do not depend on order.
/// </summary>
public sealed class ApiWorld : IAsyncLifetime
{
    public const string Alice = "alice@api.test";
    public const string Bob = "bob@api.test";
    public const string Project = "api-p1";

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new();

    private DeliveryWorld _world = null!;

    public TestApp App => _world.App;

    /// <summary>Every 5xx the app answered; test classes check it after each test.</summary>
    public ServerErrorLog ServerErrors { get; } = new();
    public TestReceiver Receiver => _world.Receiver;
    public HttpClient Admin => As(TestApp.AdminToken);

    /// <summary>Alice: webhooks + events:publish.</summary>
    public string AliceToken { get; private set; } = "";

    /// <summary>Bob: webhooks + events:publish, member of the same project as Alice.</summary>
    public string BobToken { get; private set; } = "";

    public string WebhooksOnlyToken { get; private set; } = "";
    public string PublishOnlyToken { get; private set; } = "";

    /// <summary>The bootstrap administrator, but through a token without the admin scope.</summary>
    public string AdminWithoutAdminScopeToken { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        // Sign-in limits out of the way: the property test posts thousands of bodies, a few dozen of them to
        // /api/v1/auth/tokens within a minute, and a 429 there says nothing about the body (LimitsTests covers limits).
        var options = WorldOptions.Default.With("Limits:SignIn:PerAddress:PermitLimit", "1000000").With("Limits:SignIn:PerAccount:PermitLimit", "1000000");
        _world = await DeliveryWorld.StartAsync(options with
        {
            Services = ServerErrors.Register,
            Organization = new SeedProject("api-co", "API Co", Project, "API project"),
        });
        await Admin.MemberAsync(Project, Alice);
        await Admin.MemberAsync(Project, Bob);
        AliceToken = await Admin.TokenForAsync(Alice, "webhooks", "events:publish");
        BobToken = await Admin.TokenForAsync(Bob, "webhooks", "events:publish");
        WebhooksOnlyToken = await Admin.TokenForAsync(Alice, "webhooks");
        PublishOnlyToken = await Admin.TokenForAsync(Alice, "events:publish");
        var own = await Admin.PostOk("/api/v1/tokens", new { name = "no admin scope", scopes = new[] { "webhooks", "events:publish" } }, HttpStatusCode.Created);
        AdminWithoutAdminScopeToken = own.Str("token");
    }

    public HttpClient As(string token) => _clients.GetOrAdd(token, t => App.Api(t));

    /// <summary>A client that sends no Authorization header.</summary>
    public HttpClient Anonymous => _clients.GetOrAdd("", _ => App.Api(token: null));

    private Task<System.Text.Json.JsonElement>? _alicesWebhook;

    /// <summary>One webhook of Alice's that a whole test class may share (made on first use).</summary>
    public Task<System.Text.Json.JsonElement> AlicesWebhookAsync() => _alicesWebhook ??= NewWebhookAsync(AliceToken, "Alice's shared hook");

    /// <summary>A new webhook owned by the token's user, listening to TODO_CREATED in the shared project.</summary>
    public async Task<System.Text.Json.JsonElement> NewWebhookAsync(string token, string? name = null) =>
        await As(token).PostOk("/api/v1/webhooks", new
        {
            url = Receiver.UrlFor("/" + Guid.NewGuid().ToString("N")),
            name = name ?? "hook " + Guid.NewGuid().ToString("N")[..8],
            events = new[] { "TODO_CREATED" },
            projectIds = new[] { Project },
        }, HttpStatusCode.Created);

    /// <summary>Publishes one event and answers the id of the delivery it made for <paramref name="webhookId"/>.</summary>
    public async Task<long> NewDeliveryAsync(string webhookId)
    {
        var eventId = "evt_api_" + Guid.NewGuid().ToString("N");
        await Admin.PostOk("/api/v1/events", new { id = eventId, @event = "TODO_CREATED", projectId = Project }, HttpStatusCode.Accepted);
        var page = await Admin.GetOk($"/api/v1/deliveries?eventId={eventId}&webhookId={webhookId}");
        return page.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetInt64();
    }

    /// <summary>Waits until the delivery left the outbox (delivered, since the receiver answers 200).</summary>
    public Task WaitDeliveredAsync(long deliveryId) =>
        Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/deliveries/{deliveryId}"), d => d.Str("status") == "delivered",
            $"delivery {deliveryId} delivered", TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await _world.DisposeAsync();
    }
}
