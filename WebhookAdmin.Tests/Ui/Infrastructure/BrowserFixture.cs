using Microsoft.Playwright;

namespace WebhookAdmin.Tests.Ui.Infrastructure;

/// <summary>
/// One headless Chromium for all browser tests (starting it costs seconds on 2 cores). It is Debian's
/// /usr/bin/chromium: never `playwright install` (no network). Each test opens its own context (fresh cookies).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Browser tests need Chromium at {ChromiumPath}: apt-get install -y chromium (the test script does it).");
        // Expectations poll up to this long (the default 5 s is short for a circuit on 2 busy cores).
        Assertions.SetDefaultExpectTimeout(UiSession.Timeout);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Args,
            Timeout = 120_000,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>
/// Browser tests share one Chromium and run one after another (each drives a whole app on 2 cores), and not
/// beside the other test classes: next to the API tests' hundreds of requests a circuit event could wait long
/// enough to time a test out (seen once in a clean-clone run: a click whose navigation never came within 60 s).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
