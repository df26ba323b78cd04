using System.Diagnostics;
using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting.Cluster;

/// <summary>
/// A change made through one instance holds on all of them within a second (contract, section 7), and a person signed
/// in through one instance is signed in on all (the Data Protection keys are in the shared database). One cluster for
/// the class, started by the first test that runs.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterChangeTests(ClusterChangeTests.SharedWorld shared) : IClassFixture<ClusterChangeTests.SharedWorld>
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_webhook_disabled_through_A_receives_nothing_from_B_or_C_one_second_after_the_answer()
    {
        ClusterCollection.RequirePostgres();
        var world = await shared.WorldAsync();
        var (a, b, c) = (world["A"], world["B"], world["C"]);
        await world.CreateWebhookAsync(a, "kept");
        var disabled = await world.CreateWebhookAsync(a, "disabled");
        // B and C have both webhooks in whatever they keep in memory, enabled, before the change.
        await world.WaitUntilEveryInstanceKnowsAsync();
        await world.WaitUntilAllDeliveredAsync(TimeSpan.FromSeconds(30));

        await a.Api.PostOk($"/api/v1/webhooks/{disabled}/disable", null);
        await Task.Delay(Propagation, TestContext.Current.CancellationToken);
        var viaB = await b.PublishAsync();
        var viaC = await c.PublishAsync();

        // The instances do deliver (to the other webhook); the disabled one's deliveries are stored held.
        await Eventually.ReturnsAsync(() => Task.FromResult(world.ReceivedBy("kept").Select(r => r.Header("webhook-id")).ToHashSet()),
            ids => ids.Contains(viaB.Id) && ids.Contains(viaC.Id), "the enabled webhook to receive both events");
        foreach (var (id, through) in new[] { (viaB.Id, b), (viaC.Id, c) })
        {
            var delivery = await Eventually.ReturnsAsync(() => through.DeliveryAsync(disabled, id),
                d => d.Str("status") is not ("pending" or "delivering"), $"the disabled webhook's delivery of {id} to settle");
            Assert.True(delivery.Str("status") == "held",
                $"Published through {through.Name} {Propagation.TotalSeconds:F0} s after the disable through A, the disabled webhook's delivery is {delivery.Str("status")}, not held.");
        }
        Assert.DoesNotContain(world.ReceivedBy("disabled"), r => r.Header("webhook-id") == viaB.Id || r.Header("webhook-id") == viaC.Id);
    }

    [Fact]
    public async Task A_webhook_created_through_B_receives_an_event_published_through_C_one_second_later()
    {
        ClusterCollection.RequirePostgres();
        var world = await shared.WorldAsync();
        var (b, c) = (world["B"], world["C"]);
        // C has published before: whatever it keeps in memory about webhooks is warm, and must learn of the new one.
        await c.PublishAsync();

        var created = await world.CreateWebhookAsync(b, "created");
        var answered = Stopwatch.StartNew();
        await Task.Delay(Propagation, TestContext.Current.CancellationToken);
        var published = await c.PublishAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"created through B, published through C {answered.ElapsedMilliseconds} ms later");

        await Eventually.ReturnsAsync(() => Task.FromResult(world.ReceivedBy("created").Select(r => r.Header("webhook-id")).ToList()),
            ids => ids.Contains(published.Id), $"webhook {created} to receive event {published.Id}", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Signed_in_through_A_a_person_is_signed_in_on_B_and_C_and_their_pages_work()
    {
        ClusterCollection.RequirePostgres();
        var world = await shared.WorldAsync();
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies })
        {
            BaseAddress = world["A"].BaseAddress,
        };

        using var signIn = await SignInForm.PostAsync(browser, TestApp.AdminEmail, TestApp.AdminPassword, "/webhooks");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/webhooks", signIn.Headers.Location?.OriginalString);
        // In Production the sign-in cookie is Secure; a browser sends it to http://127.0.0.1 (a secure context), and
        // HttpClient's container would not, so the header is made by hand, as the browser would send it.
        var session = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        Assert.Contains(".AspNetCore.Identity.Application", session, StringComparison.Ordinal);

        foreach (var instance in world.Cluster.Instances)
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
            {
                BaseAddress = instance.BaseAddress,
            };
            foreach (var path in new[] { "/webhooks", "/deliveries", "/" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Cookie", session } } };
                using var page = await client.SendAsync(request, TestContext.Current.CancellationToken);
                var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.True(page.StatusCode == HttpStatusCode.OK,
                    $"{path} on {instance.Name}: {(int)page.StatusCode} {page.Headers.Location}");
                Assert.Contains("data-testid=\"user-menu\"", html, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The class's cluster, started on first use: in the SQLite pass the tests skip and nothing starts.</summary>
    public sealed class SharedWorld : IAsyncDisposable
    {
        private Task<ClusterWorld>? _world;

        /// <summary>The tests of one class run one at a time: no lock needed.</summary>
        public Task<ClusterWorld> WorldAsync() => _world ??= ClusterWorld.StartAsync();

        public async ValueTask DisposeAsync()
        {
            if (_world is { IsCompletedSuccessfully: true }) await (await _world).DisposeAsync();
        }
    }
}
