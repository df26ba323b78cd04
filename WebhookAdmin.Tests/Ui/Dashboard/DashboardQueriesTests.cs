using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Dashboard;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Dashboard;

public sealed class DashboardQueriesTests() : WorldTests(
    // One attempt per delivery: the first failure disables the failing webhook and holds the rest.
    WorldOptions.Default.With("Delivery:MaxAttempts", "1"))
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Receiver.Respond(request => request.Path == "/broken" ? ReceiverAnswer.Fail(500) : ReceiverAnswer.Ok);
    }

    [Fact]
    public async Task The_summary_counts_webhooks_by_condition_deliveries_by_outcome_the_backlog_and_names_the_failing_webhook()
    {
        await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/fine"), name = "Fine" }, HttpStatusCode.Created);
        var broken = await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/broken"), name = "Broken" }, HttpStatusCode.Created);
        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "p1" }, HttpStatusCode.Accepted);
        await Receiver.WaitForAsync(2);
        await Eventually.ReturnsAsync(() => Admin.GetOk($"/api/v1/webhooks/{broken.Str("id")}"), w => !w.GetProperty("enabled").GetBoolean(), "the broken webhook to be disabled");
        for (var i = 0; i < 2; i++)
            await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "p1" }, HttpStatusCode.Accepted);

        var queries = App.Service<DashboardQueries>();
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
        await Admin.PostOk("/api/v1/webhooks", new { url = Receiver.UrlFor("/fine") }, HttpStatusCode.Created);
        await Admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "p1" }, HttpStatusCode.Accepted);
        await Receiver.WaitForAsync(1);

        var stranger = new CurrentUser("someone-else", "someone@example.com", false, new HashSet<string>());
        var summary = await App.Service<DashboardQueries>().SummaryAsync(stranger, TestContext.Current.CancellationToken);

        Assert.Equal((0, 0, 0), (summary.Webhooks, summary.Delivered, summary.Pending));
        Assert.Empty(summary.TopFailing);
    }

    private async Task<CurrentUser> AdminAsync()
    {
        using var scope = App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var admin = await users.FindByEmailAsync(TestApp.AdminEmail);
        return new CurrentUser(admin!.Id, admin.Email!, true, new HashSet<string>());
    }
}
