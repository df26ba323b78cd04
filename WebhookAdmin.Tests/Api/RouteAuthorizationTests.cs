using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WebhookAdmin.Hosting.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Api;

/// <summary>
/// Authorization of every API route (contract, section 2): no valid token → 401, a token without the
/// route's scope → 403, someone else's webhook, delivery or token → 404 without its data, and an admin
/// token with the admin scope reaches everything. The routes come from <see cref="ApiRouteTable"/>, which
/// the first test holds equal to what the app really maps.
/// </summary>
public sealed class RouteAuthorizationTests(ApiWorld world) : IClassFixture<ApiWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    private static readonly Dictionary<string, Access> Policies = new()
    {
        [ApiPolicies.Webhooks] = Access.Webhooks,
        [ApiPolicies.EventsPublish] = Access.EventsPublish,
        [ApiPolicies.Admin] = Access.Admin,
        [ApiPolicies.AnyToken] = Access.AnyToken,
    };

    [Fact]
    public void Every_API_route_the_app_maps_is_in_the_route_table_with_the_same_access_and_no_other()
    {
        var mapped = MappedApiRoutes()
            .Select(e => $"{e.Route} → {AccessOf(e.Endpoint)}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var table = ApiRouteTable.All
            .Select(r => $"{r} → {r.Access}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(table, mapped);
    }

    [Fact]
    public async Task Every_API_route_the_app_maps_answers_401_problem_without_a_token_unless_it_allows_anonymous_callers()
    {
        var anonymous = world.Anonymous;
        var protectedRoutes = MappedApiRoutes().Where(e => e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null).ToList();
        Assert.NotEmpty(protectedRoutes);

        foreach (var (route, _) in protectedRoutes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path(p => p == "email" ? "x@y.test" : "1"));
            using var response = await anonymous.SendAsync(request, Test.Ct);
            await response.AssertProblemAsync(401);
        }
    }

    public static TheoryData<string> ProtectedRoutes => ApiRouteTable.Where(r => r.Access != Access.Anonymous);

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task A_request_without_a_valid_bearer_token_answers_401_problem(string name)
    {
        var route = ApiRouteTable.Find(name);
        using var client = world.App.Api(token: null);
        AuthenticationHeaderValue?[] credentials =
        [
            null,
            new("Bearer", "not-a-token"),
            new("Bearer", "wha_" + new string('x', 43)),
            new("Basic", Convert.ToBase64String("admin@test.local:Admin!12345"u8.ToArray())),
            new("Bearer", TestApp.AdminToken + "x"),
        ];
        foreach (var credential in credentials)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path(SampleValue));
            request.Headers.Authorization = credential;
            using var response = await client.SendAsync(request, Test.Ct);
            var problem = await response.AssertProblemAsync(401);
            Assert.Contains("Bearer", problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task A_refused_caller_that_accepts_no_JSON_still_gets_a_problem_and_never_a_500(string accept)
    {
        var anonymous = world.Anonymous;
        using var unauthenticated = new HttpRequestMessage(HttpMethod.Get, "/api/v1/webhooks");
        unauthenticated.Headers.Accept.ParseAdd(accept);
        await (await anonymous.SendAsync(unauthenticated, Test.Ct)).AssertProblemAsync(401);

        using var forbidden = new HttpRequestMessage(HttpMethod.Get, "/api/v1/webhooks");
        forbidden.Headers.Accept.ParseAdd(accept);
        await (await world.As(world.PublishOnlyToken).SendAsync(forbidden, Test.Ct)).AssertProblemAsync(403);
    }

    [Fact]
    public async Task An_unknown_API_route_answers_404_problem_and_a_wrong_method_405_problem_not_the_admin_page()
    {
        await (await world.Admin.GetAsync("/api/v1/no-such-thing", Test.Ct)).AssertProblemAsync(404);
        await (await world.Admin.GetAsync("/api/v1/deliveries/not-a-number", Test.Ct)).AssertProblemAsync(404);
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/webhooks") { Content = JsonContent.Create(new { }) };
        await (await world.Admin.SendAsync(put, Test.Ct)).AssertProblemAsync(405, "method");
    }

    public static TheoryData<string> ScopedRoutes => ApiRouteTable.Where(r => r.Access is Access.Webhooks or Access.EventsPublish or Access.Admin);

    [Theory]
    [MemberData(nameof(ScopedRoutes))]
    public async Task A_token_lacking_the_scope_of_the_route_answers_403_problem(string name)
    {
        var route = ApiRouteTable.Find(name);
        string[] lacking = route.Access switch
        {
            Access.Webhooks => [world.PublishOnlyToken],
            Access.EventsPublish => [world.WebhooksOnlyToken],
            // An ordinary user with every scope they can hold, and the administrator through a token without "admin".
            _ => [world.AliceToken, world.AdminWithoutAdminScopeToken],
        };
        foreach (var token in lacking)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path(SampleValue));
            using var response = await world.As(token).SendAsync(request, Test.Ct);
            await response.AssertProblemAsync(403);
        }
    }

    public static TheoryData<string> AnyTokenRoutes => ApiRouteTable.Where(r => r.Access == Access.AnyToken);

    [Theory]
    [MemberData(nameof(AnyTokenRoutes))]
    public async Task A_route_open_to_any_token_answers_a_token_with_only_one_scope(string name)
    {
        var route = ApiRouteTable.Find(name);
        foreach (var scope in new[] { "webhooks", "events:publish" })
        {
            var created = await world.Admin.PostOk($"/api/v1/users/{ApiWorld.Bob}/tokens", new { name = "only " + scope, scopes = new[] { scope } }, HttpStatusCode.Created);
            var (token, tokenId) = (created.Str("token"), created.Str("id"));
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path(p => p == "id" ? tokenId : SampleValue(p)));
            if (route.Method == "POST") request.Content = JsonContent.Create(new { name = "from " + scope, scopes = new[] { scope } });
            using var response = await world.As(token).SendAsync(request, Test.Ct);
            Assert.True(response.IsSuccessStatusCode, $"{route} with a '{scope}' token: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Test.Ct)}");
        }
    }

    [Fact]
    public async Task The_token_exchange_is_open_to_callers_without_a_token()
    {
        var anonymous = world.Anonymous;
        using var response = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens",
            new { email = TestApp.AdminEmail, password = TestApp.AdminPassword, name = "curl" }, Test.Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("wha_", (await response.JsonAsync()).Str("token"));
    }

    public static TheoryData<string> OwnedRoutes => ApiRouteTable.Where(r => r.Owned != Owned.Nothing);

    [Theory]
    [MemberData(nameof(OwnedRoutes))]
    public async Task Someone_elses_webhook_delivery_or_token_answers_404_problem_and_is_left_untouched(string name)
    {
        var route = ApiRouteTable.Find(name);
        var thing = await AlicesThingAsync(route.Owned);
        var before = await AliceViewAsync(thing);

        using var request = Request(route, thing.Id);
        using var response = await world.As(world.BobToken).SendAsync(request, Test.Ct);
        var problem = await response.AssertProblemAsync(404);

        var text = problem.GetRawText();
        foreach (var secret in thing.Data)
            Assert.DoesNotContain(secret, text);
        Assert.Equal(before, await AliceViewAsync(thing));
    }

    [Theory]
    [MemberData(nameof(OwnedRoutes))]
    public async Task An_admin_token_with_the_admin_scope_reaches_every_users_webhook_delivery_and_token(string name)
    {
        var route = ApiRouteTable.Find(name);
        var thing = await AlicesThingAsync(route.Owned);

        using var request = Request(route, thing.Id);
        using var response = await world.Admin.SendAsync(request, Test.Ct);
        var body = await response.Content.ReadAsStringAsync(Test.Ct);
        // Alice's replay is finished before the test (so it holds still): cancelling it is refused as finished, which
        // is as far as anyone gets; someone who cannot reach it gets 404.
        var reached = response.IsSuccessStatusCode || (route.Pattern == "/api/v1/replays/{id}/cancel" && response.StatusCode == HttpStatusCode.Conflict);
        Assert.True(reached, $"admin {route}: {(int)response.StatusCode} {body}");
        if (route.Method == "GET" && route.Owned == Owned.Webhook && route.Pattern.EndsWith("{id}", StringComparison.Ordinal))
            Assert.Contains(thing.Data[0], body);
    }

    [Fact]
    public async Task Lists_show_a_user_only_their_own_webhooks_and_deliveries_and_the_admin_scope_shows_everything()
    {
        var alices = await world.NewWebhookAsync(world.AliceToken);
        var bobs = await world.NewWebhookAsync(world.BobToken);
        var delivery = await world.NewDeliveryAsync(alices.Str("id"));

        async Task<List<string>> WebhookIds(string token) =>
            (await world.As(token).GetOk("/api/v1/webhooks?take=200")).GetProperty("items").EnumerateArray().Select(w => w.Str("id")).ToList();
        async Task<List<long>> DeliveryIds(string token, string query = "") =>
            (await world.As(token).GetOk("/api/v1/deliveries?take=200" + query)).GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetInt64()).ToList();

        var bobSees = await WebhookIds(world.BobToken);
        Assert.Contains(bobs.Str("id"), bobSees);
        Assert.DoesNotContain(alices.Str("id"), bobSees);
        Assert.DoesNotContain(alices.Str("id"), await WebhookIds(world.AdminWithoutAdminScopeToken));
        Assert.Contains(alices.Str("id"), await WebhookIds(TestApp.AdminToken));
        Assert.Contains(bobs.Str("id"), await WebhookIds(TestApp.AdminToken));

        Assert.DoesNotContain(delivery, await DeliveryIds(world.BobToken));
        Assert.Empty(await DeliveryIds(world.BobToken, $"&webhookId={alices.Str("id")}"));
        Assert.DoesNotContain(delivery, await DeliveryIds(world.AdminWithoutAdminScopeToken));
        Assert.Contains(delivery, await DeliveryIds(world.AliceToken));
        Assert.Contains(delivery, await DeliveryIds(TestApp.AdminToken, $"&webhookId={alices.Str("id")}"));
    }

    /// <summary>Something of Alice's that a route acts on: its id and the values that must never reach anyone else.</summary>
    private sealed record Thing(Owned Kind, string Id, string[] Data, string? WebhookId = null);

    private async Task<Thing> AlicesThingAsync(Owned kind)
    {
        switch (kind)
        {
            case Owned.Webhook:
                var webhook = await world.NewWebhookAsync(world.AliceToken, "alice-only-" + Guid.NewGuid().ToString("N"));
                return new Thing(kind, webhook.Str("id"), [webhook.Str("name"), webhook.Str("uid"), webhook.Str("url")]);
            case Owned.Delivery:
                var hook = await world.NewWebhookAsync(world.AliceToken, "alice-only-" + Guid.NewGuid().ToString("N"));
                var deliveryId = await world.NewDeliveryAsync(hook.Str("id"));
                // Settled first, so a resend is not refused as "in flight" and the view below is stable.
                await world.WaitDeliveredAsync(deliveryId);
                var delivery = await world.Admin.GetOk($"/api/v1/deliveries/{deliveryId}");
                return new Thing(kind, deliveryId.ToString(CultureInfo.InvariantCulture), [delivery.Str("eventId"), hook.Str("uid"), hook.Str("url")], hook.Str("id"));
            case Owned.Replay:
                var replayed = await world.NewWebhookAsync(world.AliceToken, "alice-only-" + Guid.NewGuid().ToString("N"));
                await world.WaitDeliveredAsync(await world.NewDeliveryAsync(replayed.Str("id")));
                var started = await world.As(world.AliceToken).PostOk($"/api/v1/webhooks/{replayed.Str("id")}/replay",
                    ReplayOfLastDay("delivered", dryRun: false), HttpStatusCode.Accepted);
                var replayId = started.Str("id");
                // Finished first, so what Alice sees of it holds still while others try.
                await Eventually.ReturnsAsync(async () => (await world.As(world.AliceToken).GetOk($"/api/v1/replays/{replayId}")).Str("state"),
                    state => state == "done", "the replay to finish");
                return new Thing(kind, replayId, [replayed.Str("uid"), replayed.Str("url")], replayed.Str("id"));
            case Owned.Token:
                var token = await world.Admin.PostOk($"/api/v1/users/{ApiWorld.Alice}/tokens", new { name = "alice's", scopes = new[] { "webhooks" } }, HttpStatusCode.Created);
                return new Thing(kind, token.Str("id"), [token.Str("token")]);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>What Alice sees of the thing, to prove a refused request changed nothing.</summary>
    private async Task<string> AliceViewAsync(Thing thing) => thing.Kind switch
    {
        Owned.Webhook => (await world.As(world.AliceToken).GetOk($"/api/v1/webhooks/{thing.Id}")).GetRawText(),
        Owned.Replay => (await world.As(world.AliceToken).GetOk($"/api/v1/replays/{thing.Id}")).GetRawText(),
        Owned.Delivery => (await world.As(world.AliceToken).GetOk($"/api/v1/deliveries/{thing.Id}")).GetRawText()
                          + (await world.As(world.AliceToken).GetOk($"/api/v1/webhooks/{thing.WebhookId}")).GetRawText(),
        _ => string.Join(",", (await world.As(thing.Data[0]).GetOk("/api/v1/tokens")).EnumerateArray().Select(t => t.Str("id"))),
    };

    /// <summary>A well-formed request for the route, so only authorization can make it fail.</summary>
    private static HttpRequestMessage Request(ApiRoute route, string id)
    {
        var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path(p => p == "id" ? id : SampleValue(p)));
        var body = route.Pattern switch
        {
            "/api/v1/webhooks/{id}" when route.Method == "PATCH" => new { name = "renamed" },
            "/api/v1/webhooks/{id}/enable" => new { replayHeld = true },
            "/api/v1/webhooks/{id}/rotate-secret" => new { overlap = "01:00:00" },
            "/api/v1/webhooks/{id}/test" => new { @event = "TODO_CREATED" },
            // A dry run: it counts and sends nothing, so a refused one and an allowed one change nothing either way.
            "/api/v1/webhooks/{id}/replay" => ReplayOfLastDay("failed", dryRun: true),
            _ => null,
        };
        if (body is not null) request.Content = JsonContent.Create(body, options: ApiExtensions.Json);
        return request;
    }

    private static object ReplayOfLastDay(string status, bool dryRun) =>
        new { status = new[] { status }, since = DateTime.UtcNow.AddDays(-1), until = DateTime.UtcNow.AddMinutes(1), dryRun };

    private static string SampleValue(string parameter) => parameter switch
    {
        "email" => ApiWorld.Alice,
        "projectId" => ApiWorld.Project,
        "companyId" => "api-co",
        _ => "1",
    };

    private IEnumerable<(ApiRoute Route, RouteEndpoint Endpoint)> MappedApiRoutes() => ApiRouteTable.Mapped(world.App.Services);

    private static string AccessOf(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return nameof(Access.Anonymous);
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
        return policies switch
        {
            [] => "UNPROTECTED",
            [var one] when one is not null && Policies.TryGetValue(one, out var access) => access.ToString(),
            _ => "policies: " + string.Join(", ", policies),
        };
    }
}
