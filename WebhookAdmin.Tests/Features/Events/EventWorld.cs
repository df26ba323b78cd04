using System.Net;
using System.Text.Json;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Events;

/// <summary>
/// One app for a class of event tests: a receiver that answers 200, the administrator (who publishes)
/// and helpers that say which webhooks an event reached. Each test makes its own webhooks and projects.
/// </summary>
public sealed class EventWorld : IAsyncLifetime
{
    private DeliveryWorld _world = null!;

    public TestApp App => _world.App;

    /// <summary>Every 5xx the app answered; test classes check it after each test.</summary>
    public ServerErrorLog ServerErrors { get; } = new();
    public TestReceiver Receiver => _world.Receiver;
    public HttpClient Admin => _world.Admin;

    public async ValueTask InitializeAsync()
    {
        _world = await DeliveryWorld.StartAsync(WorldOptions.Default with { Services = ServerErrors.Register, Organization = null });
        await Admin.CompanyAsync("acme", "Acme Corp");
        await Admin.CompanyAsync("globex", "Globex");
    }

    /// <summary>A new project of <paramref name="company"/> with the given members; its id is unique to the caller.</summary>
    public async Task<string> ProjectAsync(string company, params string[] members)
    {
        var id = $"{company}-{Guid.NewGuid():N}"[..24];
        await Admin.ProjectAsync(id, company, "Project " + id);
        foreach (var member in members) await Admin.MemberAsync(id, member);
        return id;
    }

    public async Task<HttpClient> UserAsync(string email) => App.Api(await Admin.TokenForAsync(email, "webhooks"));

    public async Task<string> WebhookAsync(HttpClient owner, string[]? events = null, string[]? projectIds = null) =>
        (await owner.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor(), events = events ?? [], projectIds = projectIds ?? [] },
            HttpStatusCode.Created)).Str("id");

    /// <summary>Publishes one event (as the administrator) and answers the 202's body.</summary>
    public Task<JsonElement> PublishAsync(string eventType, string projectId, string? id = null) =>
        Admin.PostOk("/api/v1/events", new { id, @event = eventType, projectId }, HttpStatusCode.Accepted);

    /// <summary>Every delivery an event made, as webhook id → status.</summary>
    public async Task<Dictionary<string, string>> DeliveriesOfAsync(string eventId) =>
        (await Admin.GetOk($"/api/v1/deliveries?eventId={eventId}&take=200")).GetProperty("items").EnumerateArray()
            .ToDictionary(d => d.Str("webhookId"), d => d.Str("status"));

    /// <summary>Publishes and answers which webhooks the event reached (webhook id → delivery status).</summary>
    public async Task<Dictionary<string, string>> ReachedAsync(string eventType, string projectId) =>
        await DeliveriesOfAsync((await PublishAsync(eventType, projectId)).Str("id"));

    public ValueTask DisposeAsync() => _world.DisposeAsync();
}
