using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.AspNetCore.Http.Metadata;
using WebhookAdmin.Tests.Api.PropertyBased;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Api;

/// <summary>
/// Generated bad input (CsCheck, ADR-012) on every route that <c>/openapi/v1.json</c> lists with a JSON body: never a
/// 5xx; a body invalid by construction gets the expected 4xx naming the field at fault; every 4xx is problem+json
/// whose <c>errors</c> name fields of that body; and no rejected request changes a row. BadInputTests keeps the
/// hand-written cases; this finds the ones nobody wrote.
/// </summary>
public sealed class MalformedBodyPropertyTests(ApiWorld world) : IClassFixture<ApiWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    /// <summary>
    /// Requests per run: <c>PROPERTY_REQUESTS</c>, or 3,000 (5–7 s on this two-core machine) so the normal suite stays
    /// quick; <c>PROPERTY_REQUESTS=10000</c> or more for a deeper search. A failure prints the seed, and
    /// <c>CsCheck_Seed=…</c> replays it.
    /// </summary>
    private static int Requests =>
        int.TryParse(Environment.GetEnvironmentVariable("PROPERTY_REQUESTS"), out var requests) && requests > 0 ? requests : 3000;

    [Fact]
    public async Task Generated_bad_bodies_on_every_write_route_get_a_4xx_naming_the_field_and_change_no_row()
    {
        var routes = OpenApiWriteRoutes.Read(await world.Admin.GetOk("/openapi/v1.json"));
        AssertTheDocumentListsEveryBodyRoute(routes);
        var webhookId = (await world.AlicesWebhookAsync()).Str("id");
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();

        await using var database = await DatabaseFingerprint.OpenAsync(world.App);
        await AssertTheFingerprintSeesAnUpdateAsync(database);
        IReadOnlyDictionary<string, string>? before = null;
        await MalformedBodies.For(routes).SampleAsync(async request =>
        {
            // After an accepted request the next baseline is read afresh; after a refused one it is the same as before.
            before ??= await database.TakeAsync();
            using var response = await SendAsync(request, webhookId);
            var after = await database.TakeAsync();
            var unchanged = DatabaseFingerprint.Difference(before, after);
            before = (int)response.StatusCode < 300 ? null : after;
            var outcome = $"{request.Expect.GetType().Name} → {await CheckAsync(request, response)}";
            tally[outcome] = tally.GetValueOrDefault(outcome) + 1;
            if ((int)response.StatusCode >= 400)
                Assert.True(unchanged.Length == 0, $"{request.Route} answered {(int)response.StatusCode} and still changed the database: {unchanged}");
        }, iter: Requests, threads: 1, print: request => request.ToString());

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Requests} generated requests on {routes.Count} routes in {clock.Elapsed.TotalSeconds:F1} s: " +
            string.Join(", ", tally.Select(t => $"{t.Key}: {t.Value}")));
    }

    /// <summary>Checks the answer against what the body was built to get; answers a short name of the outcome.</summary>
    private static async Task<string> CheckAsync(GeneratedRequest request, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"{status}: {Shorten(text)}");
        if (status is >= 200 and < 300)
        {
            Assert.True(request.Expect is Expectation.EitherWay, $"accepted ({status}) a body built to be refused: {Shorten(text)}");
            return "accepted";
        }
        Assert.True(status is >= 400 and < 500, $"{status}: {Shorten(text)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{status} as '{response.Content.Headers.ContentType}', not application/problem+json: {Shorten(text)}");

        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), $"no title: {text}");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"no detail: {text}");
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.True(fields.Count > 0, $"{status} names no field: {text}");
        var strangers = fields.Where(f => !request.Fields.Contains(f)).ToList();
        Assert.True(strangers.Count == 0, $"{status} names [{string.Join(", ", strangers)}], which are not fields of this body: {Shorten(text)}");

        switch (request.Expect)
        {
            case Expectation.Rejected rejected:
                Assert.True(status == rejected.Status && fields.Contains(rejected.Field),
                    $"expected {rejected.Status} naming '{rejected.Field}', got {status} naming [{string.Join(", ", fields)}]: {Shorten(text)}");
                break;
            case Expectation.Unreadable:
                Assert.True(status == 400, $"expected 400 for JSON that does not parse, got {status}: {Shorten(text)}");
                break;
        }
        return status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<HttpResponseMessage> SendAsync(GeneratedRequest request, string webhookId)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Route.Method), PathOf(request.Route, webhookId))
        {
            Content = new StringContent(request.Body, Encoding.UTF8, "application/json"),
        };
        if (request.Charset is { } charset)
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"application/json; charset={charset}");
        return await world.Admin.SendAsync(message, Test.Ct);
    }

    /// <summary>Real things for the path, so a body is judged by the code behind the lookup and not by a 404.</summary>
    private static string PathOf(WriteRoute route, string webhookId) =>
        System.Text.RegularExpressions.Regex.Replace(route.Pattern, "\\{(\\w+)\\}", m => Uri.EscapeDataString(m.Groups[1].Value switch
        {
            "companyId" => "api-co",
            "projectId" => ApiWorld.Project,
            "email" => route.Pattern.Contains("/members/", StringComparison.Ordinal) ? "carol@api.test" : ApiWorld.Alice,
            "id" when route.Pattern.StartsWith("/api/v1/webhooks/", StringComparison.Ordinal) => webhookId,
            var other => throw new InvalidOperationException($"{route} has the path parameter {{{other}}}: give it a real value here."),
        }));

    /// <summary>The check "no row changed" can fail: a rename, which changes no row count, changes the fingerprint.</summary>
    private async Task AssertTheFingerprintSeesAnUpdateAsync(DatabaseFingerprint database)
    {
        var before = await database.TakeAsync();
        await world.Admin.PutOk("/api/v1/companies/api-co", new { name = "API Co, renamed " + Guid.NewGuid().ToString("N")[..8] });
        Assert.NotEqual("", DatabaseFingerprint.Difference(before, await database.TakeAsync()));
    }

    /// <summary>A route left out of the document would escape this test: every mapped route that reads a body must be in it.</summary>
    private void AssertTheDocumentListsEveryBodyRoute(IReadOnlyList<WriteRoute> routes)
    {
        var reading = ApiRouteTable.Mapped(world.App.Services)
            .Where(m => m.Endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not null)
            .Select(m => m.Route.ToString())
            .Order(StringComparer.Ordinal);
        Assert.Equal(reading, routes.Select(r => r.ToString()).Order(StringComparer.Ordinal));
    }

    private static string Shorten(string text) => text.Length <= 1000 ? text : text[..1000] + "…";
}
