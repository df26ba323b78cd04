using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using WebhookAdmin.Data;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Api;

/// <summary>The OpenAPI document, the reference page, liveness and readiness (contract, sections 1 and 3).</summary>
public sealed class DocsAndHealthTests : IAsyncLifetime
{
    private readonly TestApp _app = new();
    private HttpClient _anonymous = null!;

    public ValueTask InitializeAsync()
    {
        _anonymous = _app.Api(token: null);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _anonymous.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_route_of_the_route_table_with_its_method()
    {
        var document = await _anonymous.GetOk("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        var missing = ApiRouteTable.All
            .Where(route => !(paths.TryGetProperty(route.Pattern, out var item) && item.TryGetProperty(route.Method.ToLowerInvariant(), out _)))
            .Select(route => route.ToString())
            .ToList();
        Assert.True(missing.Count == 0, "not in /openapi/v1.json: " + string.Join("; ", missing)
                                        + " — paths there: " + string.Join(", ", paths.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("WebhookAdmin API", document.GetProperty("info").Str("title"));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").Str("scheme"));
    }

    [Fact]
    public async Task The_API_reference_page_answers_HTML()
    {
        using var response = await _anonymous.GetAsync("/api/docs", Test.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Test.Ct);
        Assert.Contains("WebhookAdmin API", html);
        Assert.Contains("openapi/", html);
    }

    [Fact]
    public async Task Healthz_answers_200_Healthy()
    {
        using var response = await _anonymous.GetAsync("/healthz", Test.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Test.Ct));
    }

    [Fact]
    public async Task Readyz_answers_200_while_the_scheduler_runs_and_503_while_it_stands_by()
    {
        await Eventually.ReturnsAsync(ReadyzAsync, r => r == (HttpStatusCode.OK, "Healthy"), "readyz to be Healthy", TimeSpan.FromSeconds(60));

        var scheduler = await _app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Test.Ct);
        await scheduler.Standby(Test.Ct);
        try
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await ReadyzAsync());
        }
        finally
        {
            await scheduler.Start(Test.Ct);
        }
        await Eventually.ReturnsAsync(ReadyzAsync, r => r == (HttpStatusCode.OK, "Healthy"), "readyz Healthy again", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task The_app_uses_the_database_its_configuration_names()
    {
        // The tests' isolation rests on this: configuration given after AddWebhookAdmin (here, by the
        // test factory) decides the database, so every TestApp writes only to its own.
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Test.Ct);
        var connection = db.Database.GetDbConnection();
        if (_app.Database.Postgres is { } postgres)
        {
            Assert.Equal(postgres.Name, connection.Database);
            Assert.True(await db.Database.CanConnectAsync(Test.Ct));
        }
        else
        {
            Assert.Equal(_app.DatabasePath, connection.DataSource);
            Assert.True(File.Exists(_app.DatabasePath));
        }
    }

    private async Task<(HttpStatusCode, string)> ReadyzAsync()
    {
        using var response = await _anonymous.GetAsync("/readyz", Test.Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Test.Ct));
    }
}
