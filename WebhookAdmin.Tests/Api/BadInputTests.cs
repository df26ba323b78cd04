using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Api;

/// <summary>
/// Bad input on every POST, PUT and PATCH (and the list queries): each answers a 4xx
/// application/problem+json whose <c>errors</c> names the field at fault, never a 500, and leaves every
/// table as it was. Generic cases (unreadable JSON, wrong shapes, wrong content type, oversized bodies,
/// a wrong type) are made for each body route; the route-specific cases follow.
/// </summary>
public sealed class BadInputTests(ApiWorld world) : IClassFixture<ApiWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    private const int MiB = 1024 * 1024;
    private const string Admin = "admin", Alice = "alice", Anonymous = "anonymous";
    private static readonly string TenThousand = new('n', 10_000);

    /// <summary>A route that reads a JSON body, with a well-formed request of it whose one field has the wrong type.</summary>
    private sealed record BodyRoute(string Route, string Path, string Token, bool BodyOptional, string WrongType, string WrongTypeField, long Limit = MiB);

    private static readonly BodyRoute[] BodyRoutes =
    [
        new("PUT /api/v1/companies/{companyId}", "/api/v1/companies/bad-co", Admin, false, """{"name": 123}""", "name"),
        new("PUT /api/v1/projects/{projectId}", "/api/v1/projects/bad-p", Admin, false, """{"companyId": true, "name": "x"}""", "companyId"),
        // An absent body means "role member", as the contract's optional role suggests.
        new("PUT /api/v1/projects/{projectId}/members/{email}", $"/api/v1/projects/{ApiWorld.Project}/members/carol@api.test", Admin, true, """{"role": 1}""", "role"),
        new("POST /api/v1/users", "/api/v1/users", Admin, false, """{"email": "carol@api.test", "isAdmin": "yes"}""", "isAdmin"),
        new("POST /api/v1/users/{email}/tokens", $"/api/v1/users/{ApiWorld.Alice}/tokens", Admin, false, """{"name": "x", "scopes": "webhooks"}""", "scopes"),
        new("POST /api/v1/tokens", "/api/v1/tokens", Admin, false, """{"name": ["x"], "scopes": ["webhooks"]}""", "name"),
        new("POST /api/v1/auth/tokens", "/api/v1/auth/tokens", Anonymous, false, """{"email": 42, "password": "x"}""", "email"),
        new("POST /api/v1/events", "/api/v1/events", Admin, false, """{"event": 5, "projectId": "api-p1"}""", "event"),
        new("POST /api/v1/events/batch", "/api/v1/events/batch", Admin, false,
            """[{"event": "TODO_CREATED", "projectId": "api-p1"}, {"event": "TODO_CREATED", "projectId": 7}]""", "[1].projectId", 16 * MiB),
        new("POST /api/v1/webhooks", "/api/v1/webhooks", Alice, false, """{"url": 5}""", "url"),
        new("PATCH /api/v1/webhooks/{id}", "/api/v1/webhooks/{webhook}", Alice, false, """{"events": "TODO_CREATED"}""", "events"),
        // The next three have optional bodies: nothing (or null) means the defaults.
        new("POST /api/v1/webhooks/{id}/enable", "/api/v1/webhooks/{webhook}/enable", Alice, true, """{"replayHeld": "yes"}""", "replayHeld"),
        new("POST /api/v1/webhooks/{id}/rotate-secret", "/api/v1/webhooks/{webhook}/rotate-secret", Alice, true, """{"overlap": 24}""", "overlap"),
        new("POST /api/v1/webhooks/{id}/test", "/api/v1/webhooks/{webhook}/test", Alice, true, """{"event": ["TODO_CREATED"]}""", "event"),
        new("POST /api/v1/webhooks/{id}/replay", "/api/v1/webhooks/{webhook}/replay", Alice, false, """{"status": "failed", "dryRun": true}""", "status"),
    ];

    /// <summary>POST routes that take no body at all (their input is the path).</summary>
    private static readonly string[] BodylessRoutes =
        ["POST /api/v1/webhooks/{id}/disable", "POST /api/v1/deliveries/{id}/resend", "POST /api/v1/replays/{id}/cancel"];

    private sealed record BadInput(string Route, string Path, string Token, Func<HttpContent?> Body, int Status, params string[] Fields);

    private static readonly Dictionary<string, BadInput> Cases = BuildCases();

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_answers_a_4xx_problem_naming_the_field_and_changes_no_row(string name)
    {
        var input = Cases[name];
        var webhook = await world.AlicesWebhookAsync();
        var webhookBefore = (await world.Admin.GetOk($"/api/v1/webhooks/{webhook.Str("id")}")).GetRawText();
        var rowsBefore = await world.App.RowsAsync();

        using var request = new HttpRequestMessage(new HttpMethod(input.Route.Split(' ')[0]), input.Path.Replace("{webhook}", webhook.Str("id")))
        {
            Content = input.Body(),
        };
        if (Token(input.Token) is { } token) request.Headers.Authorization = new("Bearer", token);
        // The server refuses an oversized body before reading it; with 100-continue the client waits for that
        // answer instead of still uploading into a closed connection (which would fail the test, not the app).
        request.Headers.ExpectContinue = true;
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) })
        {
            BaseAddress = world.App.BaseAddress,
            Timeout = TimeSpan.FromSeconds(120),
        };
        using var response = await client.SendAsync(request, Test.Ct);
        await response.AssertProblemAsync(input.Status, input.Fields);

        Assert.Equal(rowsBefore, await world.App.RowsAsync());
        Assert.Equal(webhookBefore, (await world.Admin.GetOk($"/api/v1/webhooks/{webhook.Str("id")}")).GetRawText());
    }

    [Fact]
    public void Every_route_that_reads_a_body_has_bad_input_cases_and_the_bodyless_ones_read_none()
    {
        var mapped = ApiRouteTable.Mapped(world.App.Services).ToList();
        foreach (var route in ApiRouteTable.All.Where(r => r.Method is "POST" or "PUT" or "PATCH"))
        {
            var name = route.ToString();
            var endpoint = mapped.Single(m => m.Route.ToString() == name).Endpoint;
            var readsBody = endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
            if (BodylessRoutes.Contains(name))
            {
                Assert.False(readsBody, $"{name} reads a body now: give it bad-input cases");
                continue;
            }
            Assert.True(readsBody, $"{name} is expected to read a JSON body");
            foreach (var generic in new[] { "unreadable JSON", "an array instead of an object", "text/plain", "an unknown charset", "oversized", "wrong type" })
                Assert.True(Cases.Keys.Any(k => k.StartsWith(name + ": ", StringComparison.Ordinal) && k.Contains(generic, StringComparison.Ordinal)) ||
                            (generic == "an array instead of an object" && Cases.ContainsKey(name + ": an object instead of an array")),
                    $"no '{generic}' case for {name}");
        }
    }

    public static TheoryData<string> QueryCases => new(
        "/api/v1/webhooks?skip=-1 → skip",
        "/api/v1/webhooks?take=0 → take",
        "/api/v1/webhooks?take=201 → take",
        "/api/v1/webhooks?take=abc → take",
        "/api/v1/webhooks?skip=99999999999 → skip",
        "/api/v1/webhooks?enabled=maybe → enabled",
        "/api/v1/deliveries?status=bogus → status",
        "/api/v1/deliveries?event=NOT_AN_EVENT → event",
        "/api/v1/deliveries?since=yesterday → since",
        "/api/v1/deliveries?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z → since",
        "/api/v1/deliveries?skip=-5 → skip",
        "/api/v1/deliveries?take=100000 → take",
        "/api/v1/deliveries?status=bogus&take=0 → status,take",
        "/api/v1/webhooks/{webhook}/deliveries?status=bogus → status",
        "/api/v1/webhooks/{webhook}/deliveries?take=1000 → take",
        "/api/v1/webhooks/{webhook}/deliveries?until=soon → until",
        "/api/v1/webhooks?skip=abc → skip",
        "/api/v1/webhooks?take= → take",
        "/api/v1/webhooks?take=1&take=2 → take",
        "/api/v1/webhooks?take=1e3 → take",
        "/api/v1/webhooks?take=-0 → take",
        "/api/v1/webhooks?take=99999999999999999999 → take",
        "/api/v1/webhooks?enabled=true&enabled=false → enabled",
        "/api/v1/webhooks?enabled= → enabled",
        "/api/v1/webhooks?enabled=1 → enabled",
        "/api/v1/deliveries?take=abc → take",
        "/api/v1/deliveries?skip=1.5 → skip",
        "/api/v1/deliveries?since=notadate → since",
        "/api/v1/deliveries?until= → until",
        "/api/v1/deliveries?since=0001-01-01T00:00:00%2B14:00 → since",
        "/api/v1/deliveries?until=9999-12-31T23:59:59-14:00 → until",
        "/api/v1/deliveries?since=2026-01-01&since=2026-02-01 → since",
        "/api/v1/deliveries?status=delivered&status=failed → status",
        "/api/v1/deliveries?skip=-1&take=abc → take",
        "/api/v1/webhooks/{webhook}/deliveries?take=abc → take",
        "/api/v1/webhooks/{webhook}/deliveries?skip=-1 → skip",
        "/api/v1/webhooks/{webhook}/deliveries?since=notadate → since",
        "/api/v1/webhooks/{webhook}/deliveries?event=NOT_AN_EVENT → event",
        "/api/v1/webhooks/{webhook}/deliveries?take=1&take=2 → take",
        "/api/v1/webhooks?search=a%00b → search",
        "/api/v1/deliveries?event=%00 → event");

    [Theory]
    [MemberData(nameof(QueryCases))]
    public async Task A_bad_list_query_answers_400_problem_naming_the_parameter(string query)
    {
        var parts = query.Split(" → ");
        var webhook = await world.AlicesWebhookAsync();
        using var response = await world.As(world.AliceToken).GetAsync(parts[0].Replace("{webhook}", webhook.Str("id")), Test.Ct);
        await response.AssertProblemAsync(400, parts[1].Split(','));
    }

    [Theory]
    [InlineData("/api/v1/webhooks")]
    [InlineData("/api/v1/deliveries")]
    [InlineData("/api/v1/webhooks/{webhook}/deliveries")]
    public async Task A_skip_near_the_largest_int_answers_an_empty_last_page(string list)
    {
        var webhook = await world.AlicesWebhookAsync();
        var page = await world.As(world.AliceToken).GetOk(list.Replace("{webhook}", webhook.Str("id")) + $"?skip={int.MaxValue}&take=200");
        Assert.Empty(page.GetProperty("items").EnumerateArray());
        var info = page.GetProperty("pageInfo");
        Assert.False(info.GetProperty("hasNextPage").GetBoolean(), $"{list}: {info}");
        Assert.True(info.GetProperty("hasPreviousPage").GetBoolean(), $"{list}: {info}");
        Assert.True(info.GetProperty("page").GetInt32() > 0, $"{list}: {info}");
    }

    private string? Token(string who) => who switch
    {
        Admin => TestApp.AdminToken,
        Alice => world.AliceToken,
        _ => null,
    };

    private static Dictionary<string, BadInput> BuildCases()
    {
        var cases = new Dictionary<string, BadInput>();
        void Add(BodyRoute route, string what, Func<HttpContent?> body, int status, params string[] fields) =>
            cases.Add($"{route.Route}: {what}", new BadInput(route.Route, route.Path, route.Token, body, status, fields));
        BodyRoute R(string name) => BodyRoutes.Single(r => r.Route == name);

        foreach (var route in BodyRoutes)
        {
            var isBatch = route.Route.EndsWith("/batch", StringComparison.Ordinal);
            Add(route, "unreadable JSON", () => Json("{ oops }"), 400, "body");
            if (isBatch) Add(route, "an object instead of an array", () => Json("""{"event": "TODO_CREATED", "projectId": "api-p1"}"""), 400, "body");
            else Add(route, "an array instead of an object", () => Json("""[{"name": "x"}]"""), 400, "body");
            Add(route, "a bare string", () => Json("\"hello\""), 400, "body");
            Add(route, "a bare number", () => Json("42"), 400, "body");
            Add(route, "text/plain instead of JSON", () => new StringContent("{}", Encoding.UTF8, "text/plain"), 415, "body");
            Add(route, "an unknown charset", () => WithCharset(route.WrongType, "no-such-charset"), 415, "body");
            Add(route, $"oversized (over {route.Limit / MiB} MiB)", () => Oversized(route.Limit, isBatch), 413, "body");
            Add(route, $"wrong type of {route.WrongTypeField}", () => Json(route.WrongType), 400, route.WrongTypeField);
            if (!route.BodyOptional)
            {
                // The token exchange names the two fields a caller has to send instead of "body".
                string[] fields = route.Route == "POST /api/v1/auth/tokens" ? ["email", "password"] : ["body"];
                Add(route, "JSON null", () => Json("null"), 400, fields);
                Add(route, "an empty body", () => Json(""), 400, fields);
                Add(route, "no body at all", () => null, 400, fields);
            }
        }

        var company = R("PUT /api/v1/companies/{companyId}");
        Add(company, "missing name", () => Json("{}"), 400, "name");
        Add(company, "a blank name", () => Body(new { name = "   " }), 400, "name");
        Add(company, "a 10,000-character name", () => Body(new { name = TenThousand }), 400, "name");
        cases.Add("PUT /api/v1/companies/{companyId}: a 5,000-character company id",
            new BadInput(company.Route, "/api/v1/companies/" + new string('c', 5_000), Admin, () => Body(new { name = "x" }), 400, "companyId"));

        var project = R("PUT /api/v1/projects/{projectId}");
        Add(project, "missing companyId and name", () => Json("{}"), 400, "companyId", "name");
        Add(project, "an unknown company", () => Body(new { companyId = "no-such-company", name = "x" }), 422, "companyId");
        Add(project, "a 10,000-character name", () => Body(new { companyId = "api-co", name = TenThousand }), 400, "name");

        var member = R("PUT /api/v1/projects/{projectId}/members/{email}");
        Add(member, "an unknown role", () => Body(new { role = "owner" }), 400, "role");
        cases.Add("PUT /api/v1/projects/{projectId}/members/{email}: an email that is not one",
            new BadInput(member.Route, $"/api/v1/projects/{ApiWorld.Project}/members/not-an-email", Admin, () => Body(new { role = "member" }), 400, "email"));

        var users = R("POST /api/v1/users");
        Add(users, "missing email", () => Json("{}"), 400, "email");
        Add(users, "an email that is not one", () => Body(new { email = "not-an-email" }), 400, "email");
        Add(users, "a 10,000-character email", () => Body(new { email = TenThousand + "@x.test" }), 400, "email");
        Add(users, "a too weak password", () => Body(new { email = "weak@api.test", password = "1" }), 400, "password");
        Add(users, "a 10,000-character display name", () => Body(new { email = "long@api.test", displayName = TenThousand }), 400, "displayName");

        foreach (var tokens in new[] { R("POST /api/v1/users/{email}/tokens"), R("POST /api/v1/tokens") })
        {
            Add(tokens, "missing name and scopes", () => Json("{}"), 400, "name", "scopes");
            Add(tokens, "no scopes", () => Body(new { name = "x", scopes = Array.Empty<string>() }), 400, "scopes");
            Add(tokens, "an unknown scope", () => Body(new { name = "x", scopes = new[] { "webhooks", "root" } }), 400, "scopes[1]");
            Add(tokens, "a 10,000-character name", () => Body(new { name = TenThousand, scopes = new[] { "webhooks" } }), 400, "name");
        }

        var exchange = R("POST /api/v1/auth/tokens");
        Add(exchange, "missing email and password", () => Json("{}"), 400, "email", "password");
        Add(exchange, "an unknown scope", () => Body(new { email = TestApp.AdminEmail, password = TestApp.AdminPassword, scopes = new[] { "root" } }), 400, "scopes[0]");
        // Wrong credentials are not a malformed body, but the answer still names the fields to look at (both, so
        // it says nothing about whether the email exists).
        Add(exchange, "an email nobody has", () => Body(new { email = "nobody@api.test", password = "whatever-1234" }), 401, "email", "password");
        Add(exchange, "a 10,000-character token name", () => Body(new { email = TestApp.AdminEmail, password = TestApp.AdminPassword, name = TenThousand }), 400, "name");

        var events = R("POST /api/v1/events");
        Add(events, "missing event and projectId", () => Json("{}"), 400, "event", "projectId");
        Add(events, "an unknown event name", () => Body(new { @event = "TODO_EXPLODED", projectId = ApiWorld.Project }), 400, "event");
        Add(events, "the health check, which is never published", () => Body(new { @event = "WEBHOOK_HEALTH_CHECK", projectId = ApiWorld.Project }), 400, "event");
        Add(events, "an unknown project", () => Body(new { @event = "TODO_CREATED", projectId = "no-such-project" }), 422, "projectId");
        Add(events, "a 10,000-character id", () => Body(new { id = TenThousand, @event = "TODO_CREATED", projectId = ApiWorld.Project }), 400, "id");
        Add(events, "an id with spaces", () => Body(new { id = "evt one", @event = "TODO_CREATED", projectId = ApiWorld.Project }), 400, "id");
        Add(events, "a 10,000-character project id", () => Body(new { @event = "TODO_CREATED", projectId = TenThousand }), 400, "projectId");
        Add(events, "a 10,000-character actor id", () => Body(new { @event = "TODO_CREATED", projectId = ApiWorld.Project, actorId = TenThousand }), 400, "actorId");
        Add(events, "an occurredAt that is not a date", () => Body(new { @event = "TODO_CREATED", projectId = ApiWorld.Project, occurredAt = "yesterday" }), 400, "occurredAt");
        Add(events, "a current value nested 200 deep", () => Json("""{"event": "TODO_CREATED", "projectId": "api-p1", "currentValue": """ + new string('[', 200) + new string(']', 200) + "}"), 400, "currentValue");
        Add(events, "a current value over 256 KiB", () => Body(new { @event = "TODO_CREATED", projectId = ApiWorld.Project, currentValue = new { pad = new string('v', 300 * 1024) } }), 400, "currentValue");

        var batch = R("POST /api/v1/events/batch");
        const string valid = """{"event": "TODO_CREATED", "projectId": "api-p1"}""";
        Add(batch, "an empty array", () => Json("[]"), 400, "body");
        Add(batch, "a null entry", () => Json($"[{valid}, null]"), 400, "[1]");
        Add(batch, "1,001 events", () => Json("[" + string.Join(",", Enumerable.Repeat(valid, 1001)) + "]"), 400, "body");
        Add(batch, "an unknown event in entry 1", () => Json($$"""[{{valid}}, {"event": "NOPE", "projectId": "api-p1"}]"""), 400, "[1].event");
        Add(batch, "an empty entry", () => Json($"[{valid}, {{}}]"), 400, "[1].event", "[1].projectId");
        Add(batch, "an unknown project in entry 1", () => Json($$"""[{{valid}}, {"event": "TODO_CREATED", "projectId": "no-such-project"}]"""), 422, "[1].projectId");
        Add(batch, "a bad id in entry 2", () => Json($$"""[{{valid}}, {{valid}}, {"id": "evt two", "event": "TODO_CREATED", "projectId": "api-p1"}]"""), 400, "[2].id");
        Add(batch, "1,000 events whose last one is bad", () => Json("[" + string.Join(",", Enumerable.Repeat(valid, 999)) + """, {"event": "NOPE", "projectId": "api-p1"}]"""), 400, "[999].event");

        var create = R("POST /api/v1/webhooks");
        Add(create, "missing url", () => Json("{}"), 400, "url");
        Add(create, "a filter with an unknown operator", () => Json("""
            {"url": "https://example.com/hook", "filter": {"match": "all", "conditions": [{"path": "currentValue.title", "op": "like", "value": "x"}]}}
            """), 400, "filter");
        Add(create, "a filter that is a string", () => Json("""{"url": "https://example.com/hook", "filter": "urgent"}"""), 400, "filter");
        foreach (var url in new[] { "not a url", "/relative/hook", "ftp://example.com/hook", "javascript:alert(1)", "file:///etc/passwd",
                     "http://user:secret@example.com/hook", "https://example.com/" + new string('u', 3000) })
            Add(create, $"the url '{(url.Length > 40 ? url[..40] + "…" : url)}'", () => Body(new { url }), 400, "url");
        Add(create, "an unknown event name", () => Body(new { url = "https://example.com/hook", events = new[] { "TODO_EXPLODED" } }), 400, "events[0]");
        Add(create, "the health check as an event", () => Body(new { url = "https://example.com/hook", events = new[] { "TODO_CREATED", "WEBHOOK_HEALTH_CHECK" } }), 400, "events[1]");
        Add(create, "an empty event name", () => Body(new { url = "https://example.com/hook", events = new[] { "" } }), 400, "events[0]");
        Add(create, "a number as an event", () => Json("""{"url": "https://example.com/hook", "events": [1]}"""), 400, "events[0]");
        Add(create, "projectIds as a string", () => Json("""{"url": "https://example.com/hook", "projectIds": "api-p1"}"""), 400, "projectIds");
        Add(create, "an empty project id", () => Body(new { url = "https://example.com/hook", projectIds = new[] { ApiWorld.Project, "" } }), 400, "projectIds[1]");
        Add(create, "a project the owner is not a member of", () => Body(new { url = "https://example.com/hook", projectIds = new[] { ApiWorld.Project, "not-mine" } }), 403, "projectIds[1]");
        Add(create, "501 projects", () => Body(new { url = "https://example.com/hook", projectIds = Enumerable.Range(0, 501).Select(i => $"p{i}").ToArray() }), 400, "projectIds");
        Add(create, "a 10,000-character name", () => Body(new { url = "https://example.com/hook", name = TenThousand }), 400, "name");

        var patch = R("PATCH /api/v1/webhooks/{id}");
        Add(patch, "a url that is not one", () => Body(new { url = "not a url" }), 400, "url");
        Add(patch, "an empty url", () => Body(new { url = "" }), 400, "url");
        Add(patch, "an unknown event name", () => Body(new { events = new[] { "TODO_EXPLODED" } }), 400, "events[0]");
        Add(patch, "a 10,000-character name", () => Body(new { name = TenThousand }), 400, "name");
        Add(patch, "a project the owner is not a member of", () => Body(new { projectIds = new[] { "not-mine" } }), 403, "projectIds[0]");

        var rotate = R("POST /api/v1/webhooks/{id}/rotate-secret");
        Add(rotate, "an overlap that is not a duration", () => Body(new { overlap = "forever" }), 400, "overlap");
        Add(rotate, "a negative overlap", () => Body(new { overlap = "-01:00:00" }), 400, "overlap");
        Add(rotate, "an overlap over 30 days", () => Body(new { overlap = "31.00:00:00" }), 400, "overlap");

        var test = R("POST /api/v1/webhooks/{id}/test");
        Add(test, "an unknown event name", () => Body(new { @event = "TODO_EXPLODED" }), 400, "event");
        Add(test, "the health check as a test event", () => Body(new { @event = "WEBHOOK_HEALTH_CHECK" }), 400, "event");
        Add(rotate, "an overlap of a billion hours", () => Body(new { overlap = "999999999:00:00" }), 400, "overlap");
        Add(rotate, "an overlap of int.MaxValue hours", () => Body(new { overlap = "2147483647:00:00" }), 400, "overlap");
        Add(rotate, "an ISO overlap just past TimeSpan.MaxValue", () => Body(new { overlap = "P10675199DT2H48M5.4775808S" }), 400, "overlap");

        foreach (var role in new[] { "1", "999", "-5", "Member, Admin", "admin,member", " admin" })
            Add(member, $"the role '{role}'", () => Body(new { role }), 400, "role");

        AddInsideArrays(cases);
        AddInvalidText(cases);
        return cases;
    }

    /// <summary>
    /// Nulls, numbers, nested arrays and objects where a list holds text, and objects where a list is expected,
    /// for every list field of every body route: the deserializer lets a null element through to code that
    /// trusts the contract's <c>string[]</c>, so each position and shape is tried.
    /// </summary>
    private static void AddInsideArrays(Dictionary<string, BadInput> cases)
    {
        void Add(BodyRoute route, string what, string json, int status, params string[] fields) =>
            cases.Add($"{route.Route}: {what}", new BadInput(route.Route, route.Path, route.Token, () => Json(json), status, fields));
        BodyRoute R(string name) => BodyRoutes.Single(r => r.Route == name);

        var lists = new (BodyRoute Route, string Field, string Valid, string Prefix)[]
        {
            (R("POST /api/v1/webhooks"), "events", "\"TODO_CREATED\"", "\"url\": \"https://example.com/hook\", "),
            (R("POST /api/v1/webhooks"), "projectIds", $"\"{ApiWorld.Project}\"", "\"url\": \"https://example.com/hook\", "),
            (R("PATCH /api/v1/webhooks/{id}"), "events", "\"TODO_CREATED\"", ""),
            (R("PATCH /api/v1/webhooks/{id}"), "projectIds", $"\"{ApiWorld.Project}\"", ""),
            (R("POST /api/v1/tokens"), "scopes", "\"webhooks\"", "\"name\": \"x\", "),
            (R("POST /api/v1/users/{email}/tokens"), "scopes", "\"webhooks\"", "\"name\": \"x\", "),
            (R("POST /api/v1/auth/tokens"), "scopes", "\"webhooks\"", $"\"email\": \"{TestApp.AdminEmail}\", \"password\": \"{TestApp.AdminPassword}\", "),
        };
        foreach (var (route, field, valid, prefix) in lists)
        {
            Add(route, $"{field}: [null]", $"{{{prefix}\"{field}\": [null]}}", 400, $"{field}[0]");
            Add(route, $"{field}: a null after a valid entry", $"{{{prefix}\"{field}\": [{valid}, null]}}", 400, $"{field}[1]");
            Add(route, $"{field}: two nulls", $"{{{prefix}\"{field}\": [null, {valid}, null]}}", 400, $"{field}[0]", $"{field}[2]");
            Add(route, $"{field}: a nested array", $"{{{prefix}\"{field}\": [[{valid}]]}}", 400, $"{field}[0]");
            Add(route, $"{field}: an object as an entry", $"{{{prefix}\"{field}\": [{valid}, {{\"name\": {valid}}}]}}", 400, $"{field}[1]");
            Add(route, $"{field}: a number as an entry", $"{{{prefix}\"{field}\": [{valid}, 99999999999999999999]}}", 400, $"{field}[1]");
            Add(route, $"{field}: true as an entry", $"{{{prefix}\"{field}\": [true]}}", 400, $"{field}[0]");
            Add(route, $"{field}: an object instead of a list", $"{{{prefix}\"{field}\": {{\"0\": {valid}}}}}", 400, field);
            Add(route, $"{field}: a valid list, then the same field again with a null", $"{{{prefix}\"{field}\": [{valid}], \"{field}\": [null]}}", 400, $"{field}[0]");
        }

        var batch = R("POST /api/v1/events/batch");
        const string entry = """{"event": "TODO_CREATED", "projectId": "api-p1"}""";
        Add(batch, "only a null entry", "[null]", 400, "[0]");
        Add(batch, "a number as an entry", $"[{entry}, 1]", 400, "[1]");
        Add(batch, "a string as an entry", $"[\"{entry.Replace("\"", "'")}\"]", 400, "[0]");
        Add(batch, "a nested array as an entry", $"[[{entry}]]", 400, "[0]");
        Add(batch, "an object as the event name of entry 1", $$"""[{{entry}}, {"event": {"name": "TODO_CREATED"}, "projectId": "api-p1"}]""", 400, "[1].event");
        Add(batch, "a list as the project of entry 0", """[{"event": "TODO_CREATED", "projectId": ["api-p1"]}]""", 400, "[0].projectId");

        var events = R("POST /api/v1/events");
        Add(events, "a list as the event name", """{"event": ["TODO_CREATED"], "projectId": "api-p1"}""", 400, "event");
        Add(events, "an object as the id", """{"id": {}, "event": "TODO_CREATED", "projectId": "api-p1"}""", 400, "id");
        Add(events, "a number as the occurredAt", """{"event": "TODO_CREATED", "projectId": "api-p1", "occurredAt": 1e400}""", 400, "occurredAt");
    }

    /// <summary>
    /// Text that is not Unicode (an unpaired surrogate escape): System.Text.Json refuses it in a string field, but
    /// a free-form JSON value keeps it raw, and reading it back later (the delivery's payload) failed.
    /// </summary>
    private static void AddInvalidText(Dictionary<string, BadInput> cases)
    {
        void Add(string route, string path, string what, string json, params string[] fields) =>
            cases.Add($"{route}: {what}", new BadInput(route, path, Admin, () => Json(json), 400, fields));

        Add("POST /api/v1/events", "/api/v1/events", "an unpaired surrogate inside currentValue",
            """{"event": "TODO_CREATED", "projectId": "api-p1", "currentValue": {"title": "a\ud800b"}}""", "currentValue");
        Add("POST /api/v1/events", "/api/v1/events", "an unpaired low surrogate as a property name of previousValue",
            """{"event": "TODO_CREATED", "projectId": "api-p1", "previousValue": {"\udc00": 1}}""", "previousValue");
        Add("POST /api/v1/events", "/api/v1/events", "an unpaired surrogate deep in a list of currentValue",
            """{"event": "TODO_CREATED", "projectId": "api-p1", "currentValue": [[{"a": ["\ud83d"]}]]}""", "currentValue");
        Add("POST /api/v1/events/batch", "/api/v1/events/batch", "an unpaired surrogate in entry 1's currentValue",
            """[{"event": "TODO_CREATED", "projectId": "api-p1"}, {"event": "TODO_CREATED", "projectId": "api-p1", "currentValue": "\ud800"}]""", "[1].currentValue");
        Add("POST /api/v1/webhooks", "/api/v1/webhooks", "an unpaired surrogate in the name",
            """{"url": "https://example.com/hook", "name": "\ud800"}""", "name");
        Add("PUT /api/v1/companies/{companyId}", "/api/v1/companies/bad-co", "an unpaired surrogate in the name", """{"name": "\udfff"}""", "name");

        // The NUL character: PostgreSQL cannot store it in text (it answered 500), and no name or id means one.
        Add("PUT /api/v1/companies/{companyId}", "/api/v1/companies/bad-co", "a NUL character in the name", """{"name": "a\u0000b"}""", "name");
        Add("POST /api/v1/webhooks", "/api/v1/webhooks", "a NUL character in the name",
            """{"url": "https://example.com/hook", "name": "\u0000"}""", "name");
        Add("POST /api/v1/events/batch", "/api/v1/events/batch", "a NUL character in entry 1's id",
            """[{"event": "TODO_CREATED", "projectId": "api-p1"}, {"id": "e\u0000", "event": "TODO_CREATED", "projectId": "api-p1"}]""", "[1].id");
        Add("POST /api/v1/auth/tokens", "/api/v1/auth/tokens", "a NUL character in the email",
            """{"email": "a\u0000@b.test", "password": "x"}""", "email");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A JSON body declaring a charset .NET has no encoding for.</summary>
    private static StringContent WithCharset(string json, string charset)
    {
        var content = Json(json);
        content.Headers.ContentType!.CharSet = charset;
        return content;
    }

    private static JsonContent Body(object value) => JsonContent.Create(value, options: ApiExtensions.Json);

    /// <summary>A well-formed JSON body just over <paramref name="limit"/> bytes, so only its size is wrong.</summary>
    private static StringContent Oversized(long limit, bool array)
    {
        var pad = new string('x', (int)limit + 1024);
        var item = $$$"""{"event": "TODO_CREATED", "projectId": "api-p1", "name": "x", "url": "https://example.com/", "currentValue": {"pad": "{{{pad}}}"}}""";
        return Json(array ? $"[{item}]" : item);
    }
}
