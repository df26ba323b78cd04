using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Dashboard;
using WebhookAdmin.Features.Dashboard.Pages;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Dashboard;

/// <summary>The dashboard's storage panel: the database size, the oldest delivery kept and retention in words, in both languages.</summary>
public sealed class RetentionPanelTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly StorageFacts Facts = new(Now, new DatabaseSize(1_288_490_189, 4_404_019), Now.AddDays(-29),
        TimeSpan.FromDays(30), TimeSpan.FromDays(90), TimeSpan.FromMinutes(10));

    private static async Task<(string Size, string Oldest, string Settings)> RenderAsync(StorageFacts facts, string culture)
    {
        await using var ui = new MudTestContext(culture);
        var panel = ui.RenderMud<RetentionPanel>(p => p.Add(x => x.Facts, facts));
        var size = panel.FindAll("[data-testid=retention-size]").SingleOrDefault()?.TextContent.Trim() ?? "";
        return (size, panel.Find("[data-testid=retention-oldest]").TextContent.Trim(), Squash(panel.Find("[data-testid=retention-settings]").TextContent));
    }

    [Fact]
    public async Task An_administrator_reads_the_size_the_oldest_delivery_and_what_is_kept_for_how_long()
    {
        var (size, oldest, settings) = await RenderAsync(Facts, "en");

        Assert.Equal("Database: 1.2 GB (1.2 GB in the file, 4.2 MB in its write-ahead log).", size);
        Assert.StartsWith("Oldest delivery kept: ", oldest);
        Assert.EndsWith("(29 days ago).", oldest);
        Assert.Equal("Delivered and skipped deliveries are kept for 30 days after their last attempt, failed ones for 90 days; " +
                     "waiting and held ones stay until they are sent. Older ones are cleaned up every 10 min.", settings);
    }

    [Fact]
    public async Task In_portuguese_too()
    {
        var (size, oldest, settings) = await RenderAsync(Facts, "pt-BR");

        Assert.Equal("Banco de dados: 1,2 GB (1,2 GB no arquivo, 4,2 MB no log de gravação).", size);
        Assert.EndsWith("(há 29 dias).", oldest);
        Assert.Contains("por 30 dias após a última tentativa; as que falharam, por 90 dias", settings);
        Assert.EndsWith("As mais antigas são apagadas a cada 10 min.", settings);
    }

    [Fact]
    public async Task Without_a_size_or_any_delivery_it_says_so_and_shows_no_size_line()
    {
        var (size, oldest, _) = await RenderAsync(Facts with { Database = null, OldestKeptAt = null }, "en");

        Assert.Equal("", size);
        Assert.Equal("No deliveries are kept yet.", oldest);
    }

    [Fact]
    public async Task The_facts_come_from_the_database_file_and_the_oldest_delivery_the_person_can_see()
    {
        await using var app = new TestApp();
        var admin = app.Api();
        await admin.CompanyAsync("acme", "Acme");
        await admin.ProjectAsync("p1", "acme", "Website");
        await admin.MemberAsync("p1", TestApp.AdminEmail, "admin");
        await admin.PostOk("/api/v1/webhooks", new { url = "http://127.0.0.1:9/unused" }, HttpStatusCode.Created);
        await admin.PostOk("/api/v1/events", new { @event = "TODO_CREATED", projectId = "p1" }, HttpStatusCode.Accepted);
        var queries = app.Service<StorageQueries>();

        var asking = await AdminAsync(app);
        // The engine is still writing (a failed attempt, then a WAL checkpoint into the file): the size is the file's
        // at some moment during the call, and the file only grows here.
        var fileBefore = new FileInfo(app.DatabasePath).Length;
        var facts = await queries.FactsAsync(asking, Xunit.TestContext.Current.CancellationToken);
        var fileAfter = new FileInfo(app.DatabasePath).Length;
        var stranger = await queries.FactsAsync(new CurrentUser("someone", "someone@example.com", false, new HashSet<string>()), Xunit.TestContext.Current.CancellationToken);

        Assert.NotNull(facts.Database);
        Assert.InRange(facts.Database.FileBytes, fileBefore, fileAfter);
        Assert.NotNull(facts.OldestKeptAt);
        Assert.InRange(facts.OldestKeptAt.Value, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal((TimeSpan.FromDays(30), TimeSpan.FromDays(90), TimeSpan.FromMinutes(10)), (facts.Period, facts.FailedPeriod, facts.Interval));
        Assert.Null(stranger.Database);
        Assert.Null(stranger.OldestKeptAt);
    }

    private static async Task<CurrentUser> AdminAsync(TestApp app)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var admin = await users.FindByEmailAsync(TestApp.AdminEmail);
        return new CurrentUser(admin!.Id, admin.Email!, true, new HashSet<string>());
    }

    private static string Squash(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
