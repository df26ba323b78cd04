using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting;

/// <summary>
/// <c>Limits:*</c> (ADR-016): over a limit the API answers 429 problem+json with <c>Retry-After</c>, each limit counts
/// its own key (another token, address or email goes on), and the window ends on the app's clock. Windows of an hour
/// on a fake clock: nothing here depends on how fast the machine is.
/// </summary>
public sealed class LimitsTests() : WorldTests(null)
{
    private const string Hour = "01:00:00";

    [Fact]
    public async Task Ingestion_over_the_per_token_limit_is_a_429_for_that_token_only_until_its_window_ends()
    {
        var world = await StartWithLimitAsync("Limits:Ingestion:PerToken", 2);
        var other = (await world.Admin.PostOk("/api/v1/tokens", new { name = "second publisher", scopes = new[] { "events:publish" } },
            HttpStatusCode.Created)).Str("token");

        await world.PublishAsync();
        world.Time.Advance(TimeSpan.FromMinutes(20));
        using (var batch = await world.Admin.PostAsJsonAsync("/api/v1/events/batch",
                   new[] { new { @event = "TODO_CREATED", projectId = DeliveryWorld.ProjectId } }, Test.Ct))
            Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);

        using (var refused = await PublishAsync(world.Admin))
        {
            await refused.AssertProblemAsync(429);
            // The window began with the first request, 20 minutes ago: 40 minutes are left.
            Assert.Equal(TimeSpan.FromMinutes(40), refused.Headers.RetryAfter?.Delta);
        }
        using (var otherToken = await PublishAsync(world.App.Api(other)))
            Assert.Equal(HttpStatusCode.Accepted, otherToken.StatusCode);

        world.Time.Advance(TimeSpan.FromMinutes(40));
        using var nextWindow = await PublishAsync(world.Admin);
        Assert.Equal(HttpStatusCode.Accepted, nextWindow.StatusCode);
    }

    [Fact]
    public async Task Password_checks_for_a_token_over_the_per_account_limit_are_refused_even_with_the_right_password()
    {
        var world = await StartWithLimitAsync("Limits:SignIn:PerAccount", 2);
        var anonymous = world.App.Api(token: null);

        for (var i = 0; i < 2; i++)
            using (var wrong = await ExchangeAsync(anonymous, TestApp.AdminEmail, "wrong " + i))
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        // The same email however it is written.
        using (var refused = await ExchangeAsync(anonymous, " " + TestApp.AdminEmail.ToUpperInvariant(), TestApp.AdminPassword))
        {
            await refused.AssertProblemAsync(429, "email");
            Assert.Equal(TimeSpan.FromHours(1), refused.Headers.RetryAfter?.Delta);
        }
        // An email that has no account is counted the same way, so a 429 never tells which emails exist.
        for (var i = 0; i < 2; i++)
            using (var unknown = await ExchangeAsync(anonymous, "nobody@example.com", "guess"))
                Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        using (var unknownRefused = await ExchangeAsync(anonymous, "nobody@example.com", "guess"))
            await unknownRefused.AssertProblemAsync(429, "email");

        world.Time.Advance(TimeSpan.FromHours(1));
        using var later = await ExchangeAsync(anonymous, TestApp.AdminEmail, TestApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
    }

    [Fact]
    public async Task Password_checks_over_the_per_address_limit_are_refused_for_that_address_only()
    {
        var world = await StartWithLimitAsync("Limits:SignIn:PerAddress", 2);
        // Loopback is a trusted proxy by default, so X-Forwarded-For is the client address the limit sees.
        var guesser = ClientAt(world.App, "203.0.113.7");
        var colleague = ClientAt(world.App, "203.0.113.8");

        foreach (var email in new[] { "a@example.com", "b@example.com" })
            using (var wrong = await ExchangeAsync(guesser, email, "guess"))
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using (var refused = await ExchangeAsync(guesser, TestApp.AdminEmail, TestApp.AdminPassword))
        {
            await refused.AssertProblemAsync(429);
            Assert.Equal(TimeSpan.FromHours(1), refused.Headers.RetryAfter?.Delta);
        }
        using var elsewhere = await ExchangeAsync(colleague, TestApp.AdminEmail, TestApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_form_over_the_per_account_limit_goes_back_to_the_page_saying_how_long_to_wait()
    {
        var world = await StartWithLimitAsync("Limits:SignIn:PerAccount", 1);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies })
        {
            BaseAddress = world.App.BaseAddress,
        };

        Assert.StartsWith("/login?error=invalid", (await PostFormAsync(browser, "wrong")).OriginalString);
        var refused = await PostFormAsync(browser, TestApp.AdminPassword);
        Assert.StartsWith("/login?error=throttled", refused.OriginalString);
        Assert.Contains("retryAfter=3600", refused.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name.Contains("Identity", StringComparison.Ordinal));

        var page = await browser.GetStringAsync(refused, Test.Ct);
        Assert.Contains("wait 3600 seconds", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Limits:SignIn:PerAddress:Window", "00:00:00")]
    [InlineData("Limits:Ingestion:PerToken:PermitLimit", "-1")]
    public async Task A_limit_that_makes_no_sense_stops_the_start_naming_its_key(string key, string value)
    {
        await using var app = new TestApp(new Dictionary<string, string?> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => app.BaseAddress);
        Assert.Contains(key[..key.LastIndexOf(':')], error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A world on a fake clock where <paramref name="limit"/> lets <paramref name="permits"/> through per hour.</summary>
    private Task<DeliveryWorld> StartWithLimitAsync(string limit, int permits) =>
        StartWorldAsync(WorldOptions.FakeClockNoPoll.With($"{limit}:PermitLimit", permits.ToString(CultureInfo.InvariantCulture)).With($"{limit}:Window", Hour));

    private static Task<HttpResponseMessage> PublishAsync(HttpClient client) =>
        client.PostAsJsonAsync("/api/v1/events", new { @event = "TODO_CREATED", projectId = DeliveryWorld.ProjectId }, Test.Ct);

    private static Task<HttpResponseMessage> ExchangeAsync(HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password, name = "curl" }, Test.Ct);

    private static HttpClient ClientAt(TestApp app, string address)
    {
        var client = app.Api(token: null);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private static async Task<Uri> PostFormAsync(HttpClient browser, string password)
    {
        using var response = await SignInForm.PostAsync(browser, TestApp.AdminEmail, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }
}
