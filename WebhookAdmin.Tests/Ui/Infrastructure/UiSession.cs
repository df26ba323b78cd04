using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Infrastructure;

/// <summary>
/// One person in one browser context against one running app: navigation that waits for the
/// Blazor circuit, sign-in, screenshots, and every console error and page error collected so a test can
/// insist there were none. Dispose it at the end of the test.
/// </summary>
public sealed class UiSession : IAsyncDisposable
{
    /// <summary>Generous: the app, the browser, the test (and other people's builds) share 2 slow cores.</summary>
    public const float Timeout = 60_000;

    private readonly List<string> _errors = [];
    private readonly List<string> _documents = [];

    private UiSession(IBrowserContext context, IPage page, Uri baseAddress)
    {
        Context = context;
        Page = page;
        BaseAddress = baseAddress;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (_errors) _errors.Add($"console: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => { lock (_errors) _errors.Add($"page error: {error}"); };
        page.RequestFailed += (_, request) =>
        {
            // Navigating away cancels in-flight requests (the circuit's websocket among them): not an app error.
            if (request.Failure is { } failure && !failure.Contains("ERR_ABORTED", StringComparison.Ordinal))
                lock (_errors) _errors.Add($"request failed: {request.Url} {failure}");
        };
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "document")
            {
                var location = response.Headers.TryGetValue("location", out var to) ? " → " + to : "";
                lock (_documents) _documents.Add($"{response.Request.Method} {response.Url} {response.Status}{location}");
            }
            if (response.Status >= 500 || (response.Status == 404 && !response.Url.Contains("/not-found", StringComparison.Ordinal)))
                lock (_errors) _errors.Add($"HTTP {response.Status}: {response.Url}");
        };
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public Uri BaseAddress { get; }

    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return _errors.ToList(); }
    }

    public static Task<UiSession> StartAsync(BrowserFixture browser, TestApp app, UiSessionOptions? options = null) =>
        StartAsync(browser, app.BaseAddress, options);

    /// <summary>Against any running app: a <see cref="TestApp"/>, or an <see cref="AppProcess"/> started as an operator would.</summary>
    public static async Task<UiSession> StartAsync(BrowserFixture browser, Uri baseAddress, UiSessionOptions? options = null)
    {
        options ??= new UiSessionOptions();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = options.Width, Height = options.Height },
            Locale = options.Locale,
            TimezoneId = options.TimeZone,
            ColorScheme = ColorScheme.Light,
        });
        context.SetDefaultTimeout(Timeout);
        context.SetDefaultNavigationTimeout(Timeout);
        var page = await context.NewPageAsync();
        return new UiSession(context, page, baseAddress);
    }

    /// <summary>Opens a page and waits until its circuit is live (clicks before that are lost).</summary>
    public async Task GotoAsync(string path)
    {
        // Commit, not Load: the interactive marker below is the readiness that matters (it needs the scripts anyway).
        try
        {
            await Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException)
        {
            // Seen once in a full run with every test class competing for 2 cores: the request never got an
            // answer. A page load is safe to repeat; a second silence fails the test.
            await Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        }
        await WaitForInteractiveAsync();
    }

    /// <summary>Waits until the address matches (a form post or an in-app navigation) and the new page is live.</summary>
    public async Task WaitForPathAsync(Func<string, bool> path)
    {
        // Polls the address rather than waiting for a navigation event: Blazor's in-app navigation is a
        // pushState that can land between WaitForURLAsync's first look and its listener, which then waited
        // out its 60 s (reproduced on every run of a fresh clone, never in a warm checkout).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!path(new Uri(Page.Url).AbsolutePath))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Still at {Page.Url} after 60 s.");
            await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);
        }
        await WaitForInteractiveAsync();
    }

    /// <summary>The layout renders <c>[data-interactive]</c> only once the component runs on the live circuit.</summary>
    public async Task WaitForInteractiveAsync()
    {
        try
        {
            await Page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException e)
        {
            // Say why: the browser's errors usually name the cause (a failed script, a circuit that would not start).
            throw new TimeoutException($"The page {Page.Url} never became interactive. Browser errors:\n{string.Join("\n", Errors)}", e);
        }
    }

    public async Task SignInAsync(string email, string password, string path = "/")
    {
        await GotoAsync("/login?returnUrl=" + Uri.EscapeDataString(path));
        await Page.Locator("input[name=email]").FillAsync(email);
        await Page.Locator("input[name=password]").FillAsync(password);
        await Page.GetByTestId("sign-in").ClickAsync();
        // On a loaded machine a click that lands while blazor.web.js is still attaching its form handling can be
        // swallowed (seen once in a full CI run: the page stayed at /login with the form filled). A page that has
        // not left the form after a while, and shows no message, gets the click again: a second submit of a right
        // password is harmless, and a wrong one would have answered with a message.
        for (var retry = 0; retry < 2 && await StillOnTheFilledFormAsync(); retry++)
            await Page.GetByTestId("sign-in").ClickAsync();
        try
        {
            await WaitForPathAsync(p => !p.StartsWith("/login", StringComparison.Ordinal));
        }
        catch (TimeoutException e)
        {
            // What the browser asked and got, in order: a refused post, a lost cookie and a cleared form look alike here.
            string documents;
            lock (_documents) documents = string.Join("\n", _documents);
            var field = Page.Locator("input[name=password]");
            var typed = await field.CountAsync() == 1 ? $"{(await field.InputValueAsync()).Length} characters" : "no password field";
            throw new TimeoutException($"{e.Message}\nThe form: {typed}. Documents:\n{documents}\n"
                + $"Browser errors:\n{string.Join("\n", Errors)}", e);
        }
    }

    private async Task<bool> StillOnTheFilledFormAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (!new Uri(Page.Url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal) || Page.Url.Contains("error=", StringComparison.Ordinal))
                return false;
            await Task.Delay(100, Xunit.TestContext.Current.CancellationToken);
        }
        try
        {
            return await Page.Locator("input[name=password]").InputValueAsync(new LocatorInputValueOptions { Timeout = 1000 }) is { Length: > 0 };
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Sets the theme cookie the app reads on the next page load (what the toggle writes).</summary>
    public Task UseDarkModeAsync(bool dark) =>
        Context.AddCookiesAsync([new Cookie { Name = "wha-theme", Value = dark ? "dark" : "light", Url = BaseAddress.ToString() }]);

    /// <summary>Saves a full-page PNG under docs/screenshots/ (the README shows them).</summary>
    public async Task ScreenshotAsync(string name, bool fullPage = true)
    {
        // Let charts and transitions settle; a screenshot of a half-drawn page helps nobody.
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Page.WaitForTimeoutAsync(400);
        Directory.CreateDirectory(Screenshots.Folder);
        var path = Path.Combine(Screenshots.Folder, name + ".png");
        var viewport = Page.ViewportSize!;
        var height = fullPage ? await Page.EvaluateAsync<int>("document.documentElement.scrollHeight") : viewport.Height;
        if (height <= viewport.Height)
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
            return;
        }
        // A window as tall as the page rather than FullPage: fixed parts (app bar, drawer) then span it as on screen.
        await Page.SetViewportSizeAsync(viewport.Width, height);
        await Page.WaitForTimeoutAsync(300);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        await Page.SetViewportSizeAsync(viewport.Width, viewport.Height);
    }

    public ILocator TestId(string id) => Page.GetByTestId(id);

    /// <summary>
    /// A MudTextField by its data-testid. Mud puts extra attributes on the &lt;input&gt; itself; its label,
    /// helper and error text live in the surrounding control, which <see cref="FieldControl"/> returns.
    /// </summary>
    public ILocator Field(string testId) => Page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}]");

    public ILocator FieldControl(string testId) =>
        Field(testId).Locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' mud-input-control ')][1]");

    public ILocator Text(string text) => Page.GetByText(text, new PageGetByTextOptions { Exact = false });

    /// <summary>Waits until the page shows <paramref name="pattern"/> somewhere in its text.</summary>
    public Task ExpectTextAsync(string pattern) =>
        Assertions.Expect(Page.Locator("body")).ToContainTextAsync(new Regex(pattern), new LocatorAssertionsToContainTextOptions { Timeout = Timeout });

    public void AssertNoErrors() => Assert.True(Errors.Count == 0, "The browser reported errors:\n" + string.Join("\n", Errors));

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await Context.DisposeAsync();
    }
}

public sealed record UiSessionOptions(int Width = 1366, int Height = 860, string Locale = "en-US", string TimeZone = "UTC");

public static class Screenshots
{
    /// <summary>docs/screenshots/ at the repository root.</summary>
    public static string Folder { get; } = Path.Combine(Repository.Root, "docs", "screenshots");
}

public static class Repository
{
    /// <summary>The checkout's root, found by walking up from the test binaries to WebhookAdmin.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WebhookAdmin.sln"))) return dir.FullName;
        throw new InvalidOperationException("WebhookAdmin.sln not found above " + AppContext.BaseDirectory);
    }
}
