using Microsoft.Playwright;
using WebhookAdmin.Tests.Infrastructure;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Browser;

/// <summary>
/// The admin app as an operator runs it: its own process in Production, configured by environment variables,
/// started with <c>dotnet run</c> or from a <c>dotnet publish</c> folder. Nothing of <see cref="TestApp"/> helps
/// here; a page without its stylesheets or scripts is exactly what these catch.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProductionTests(BrowserFixture browser, PublishedApp published) : IClassFixture<PublishedApp>, IDisposable
{
    private const string AdminEmail = "operator@example.com";
    private const string AdminPassword = "Operator!12345";

    /// <summary>The operator's working directory, which also holds the database.</summary>
    private readonly string _data = System.IO.Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "wha-tests", Guid.NewGuid().ToString("N"))).FullName;

    private Dictionary<string, string> Production() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(_data, "webhookadmin.db")}",
        ["Bootstrap__AdminEmail"] = AdminEmail,
        ["Bootstrap__AdminPassword"] = AdminPassword,
    };

    [Fact]
    public async Task Started_with_dotnet_run_in_Production_the_admin_app_is_styled_and_reacts_to_a_click()
    {
        // --no-build: the test build built the app; the launch profile still applies, as it does for an operator.
        await using var app = await AppProcess.StartAsync(
            ["run", "--no-build", "--project", Dotnet.Project, "-c", Dotnet.Configuration, "--"], _data, Production());

        Assert.Equal("Production", app.Environment);
        await AssertStyledAndInteractiveAsync(app);
    }

    [Fact]
    public async Task Published_and_started_in_Production_from_another_folder_the_admin_app_is_styled_and_reacts_to_a_click()
    {
        await using var app = await AppProcess.StartAsync([published.Dll], _data, Production());

        Assert.Equal("Production", app.Environment);
        // Its own folder, not the operator's: that is where appsettings.json and wwwroot/ are.
        Assert.Equal(Path.TrimEndingDirectorySeparator(published.Folder), Path.TrimEndingDirectorySeparator(app.ContentRoot));
        await AssertStyledAndInteractiveAsync(app);
    }

    private async Task AssertStyledAndInteractiveAsync(AppProcess app)
    {
        await using var ui = await UiSession.StartAsync(browser, app.BaseAddress);
        var assets = new List<IResponse>();
        ui.Page.Response += (_, response) =>
        {
            if (response.Request.ResourceType is "stylesheet" or "script") lock (assets) assets.Add(response);
        };

        // Load waits for every stylesheet and script of the page; checked before anything waits on the circuit,
        // so a missing asset fails here, by name, rather than as a page that never becomes interactive.
        await ui.Page.GotoAsync("/login");
        IResponse[] loaded;
        lock (assets) loaded = [.. assets];
        Assert.Contains(loaded, r => r.Url.Contains("/_framework/blazor.web.", StringComparison.Ordinal));
        Assert.Contains(loaded, r => r.Url.Contains("/_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal));
        foreach (var response in loaded)
            await AssertServedAsync(response);

        try
        {
            await ui.SignInAsync(AdminEmail, AdminPassword);
        }
        catch (TimeoutException e)
        {
            // Once in a while on CI the sign-in has not left /login: the app's own log is the other half of the story.
            var output = app.Output;
            throw new TimeoutException($"{e.Message}\nThe app's output (end):\n{output[Math.Max(0, output.Length - 6000)..]}", e);
        }

        // MudBlazor's stylesheet paints the body with the theme's background; app.css (wwwroot-assets/) lays out the brand.
        var lightBackground = await ui.Page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.NotEqual("rgba(0, 0, 0, 0)", lightBackground);
        Assert.Equal("flex", await ui.Page.Locator(".app-brand").EvaluateAsync<string>("e => getComputedStyle(e).display"));

        // The click travels over the circuit; the server re-renders the theme and js/ui.js remembers the choice.
        await ui.TestId("theme-toggle").ClickAsync();
        await ui.Page.WaitForFunctionAsync(
            "light => getComputedStyle(document.body).backgroundColor !== light && document.cookie.includes('wha-theme=dark')",
            lightBackground);
        ui.AssertNoErrors();
    }

    private static async Task AssertServedAsync(IResponse response)
    {
        var type = response.Headers.TryGetValue("content-type", out var value) ? value : "";
        var expected = response.Request.ResourceType == "stylesheet" ? "text/css" : "text/javascript";
        Assert.True(response.Status == 200 && type.StartsWith(expected, StringComparison.Ordinal),
            $"{response.Url} answered {response.Status} with Content-Type '{type}', not {expected}");
        Assert.True((await response.BodyAsync()).Length > 0, $"{response.Url} answered with an empty body");
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
