using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Dashboard;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Dashboard;

public sealed class DashboardQueriesTests : IAsyncLifetime
{
    // One attempt per delivery: the first failure disables the failing webhook and holds the rest.
    private readonly TestApp _app = new(new Dictionary<string, string?> { ["Delivery:MaxAttempts"] = "1" });
    private TestReceiver _receiver = null!;
    private HttpClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _receiver.Respond(request => request.Path == "/broken" ? ReceiverAnswer.Fail(500) : ReceiverAnswer.Ok);
        _admin = _app.Api();
        await _admin.CompanyAsync("acme", "Acme");
        await _admin.ProjectAsync("p1", "acme", "Website");
        await _admin.MemberAsync("p1", TestApp.AdminEmail, "admin");
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task The_summary_counts_webhooks_by_condition_deliveries_by_outcome_the_backlog_and_names_the_failing_webhook()
    {
        await _admin.PostOk("/api/v1/webhooks", new { url = _receiver.UrlFor("/fine"), name = "Fine" }, HttpStatusCode.Created);
        var broken = await _admin.PostOk("/api/v1/webhooks", new { url = _receiver.UrlFor("/broken"), name = "Broken" }, HttpStatusCode.Created);
        await _admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "p1" }, HttpStatusCode.Accepted);
        await _receiver.WaitForAsync(2);
        await Eventually.ReturnsAsync(() => _admin.GetOk($"/api/v1/webhooks/{broken.Str("id")}"), w => !w.GetProperty("enabled").GetBoolean(), "the broken webhook to be disabled");
        for (var i = 0; i < 2; i++)
            await _admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "p1" }, HttpStatusCode.Accepted);

        var queries = _app.Service<DashboardQueries>();
        var admin = await AdminAsync();
        var summary = await Eventually.ReturnsAsync(() => queries.SummaryAsync(admin, TestContext.Current.CancellationToken), s => s.Delivered == 3, "three deliveries to the fine webhook");

        Assert.Equal((2, 1, 0, 1), (summary.Webhooks, summary.Healthy, summary.Failing, summary.Disabled));
        Assert.Equal(1, summary.Failed);
        Assert.Equal(2, summary.Held);
        Assert.Equal(0, summary.Pending);
        Assert.NotNull(summary.OldestWaitingAt);
        Assert.Equal(DashboardQueries.Window, summary.Hours.Count);
        Assert.Equal((3, 1, 2), (summary.Hours[^1].Delivered, summary.Hours[^1].Failed, summary.Hours[^1].Waiting));
        var top = Assert.Single(summary.TopFailing);
        Assert.Equal((broken.Str("id"), 1, 1), (top.Id, top.FailedAttempts, top.Attempts));
    }

    [Fact]
    public async Task Another_user_sees_none_of_it()
    {
        await _admin.PostOk("/api/v1/webhooks", new { url = _receiver.UrlFor("/fine") }, HttpStatusCode.Created);
        await _admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "p1" }, HttpStatusCode.Accepted);
        await _receiver.WaitForAsync(1);

        var stranger = new CurrentUser("someone-else", "someone@example.com", false, new HashSet<string>());
        var summary = await _app.Service<DashboardQueries>().SummaryAsync(stranger, TestContext.Current.CancellationToken);

        Assert.Equal((0, 0, 0), (summary.Webhooks, summary.Delivered, summary.Pending));
        Assert.Empty(summary.TopFailing);
    }

    private async Task<CurrentUser> AdminAsync()
    {
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var admin = await users.FindByEmailAsync(TestApp.AdminEmail);
        return new CurrentUser(admin!.Id, admin.Email!, true, new HashSet<string>());
    }
}
