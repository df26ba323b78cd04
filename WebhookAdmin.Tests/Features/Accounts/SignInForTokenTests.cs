using System.Net;
using System.Net.Http.Json;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Features.Accounts;

/// <summary>
/// <c>POST /api/v1/auth/tokens</c>: email and password for a new token, so a newcomer with curl can start.
/// Anonymous by design, so wrong passwords count towards Identity's lockout (5 failures).
/// </summary>
public sealed class SignInForTokenTests(ApiWorld world) : IClassFixture<ApiWorld>, IDisposable
{
    public void Dispose() => world.ServerErrors.AssertNone();

    private const string Password = "C0rrect!horse";

    private async Task<string> NewUserAsync()
    {
        var email = $"signin-{Guid.NewGuid():N}@tokens.test";
        await world.Admin.PostOk("/api/v1/users", new { email, password = Password }, HttpStatusCode.Created);
        return email;
    }

    private async Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        await world.Anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password, name = "curl" }, Test.Ct);

    [Fact]
    public async Task The_right_password_gets_a_working_token_with_the_default_scopes_of_an_ordinary_user()
    {
        var email = await NewUserAsync();

        using var response = await SignInAsync(email, Password);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        Assert.Equal(["webhooks", "events:publish"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        await world.As(created.Str("token")).GetOk("/api/v1/webhooks");
        using var admin = await world.As(created.Str("token")).PostAsJsonAsync("/api/v1/users", new { email = "x@tokens.test" }, Test.Ct);
        await admin.AssertProblemAsync(403);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_answer_the_same_401_problem()
    {
        var email = await NewUserAsync();
        using var wrong = await SignInAsync(email, "not-the-password");
        using var unknown = await SignInAsync($"nobody-{Guid.NewGuid():N}@tokens.test", Password);

        var wrongProblem = await wrong.AssertProblemAsync(401);
        var unknownProblem = await unknown.AssertProblemAsync(401);
        Assert.Equal(wrongProblem.Str("detail"), unknownProblem.Str("detail"));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_that_even_the_right_one_is_refused()
    {
        var email = await NewUserAsync();
        for (var i = 0; i < 5; i++)
            await (await SignInAsync(email, "wrong-" + i)).AssertProblemAsync(401);
        var rowsBefore = await world.App.RowsAsync();

        using var locked = await SignInAsync(email, Password);

        var problem = await locked.AssertProblemAsync(401);
        Assert.Contains("locked", problem.Str("detail"));
        Assert.Equal(rowsBefore, await world.App.RowsAsync());
    }

    [Fact]
    public async Task Four_wrong_passwords_do_not_lock_and_a_success_starts_the_count_again()
    {
        var email = await NewUserAsync();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
                await (await SignInAsync(email, "wrong-" + i)).AssertProblemAsync(401);
            using var success = await SignInAsync(email, Password);
            Assert.Equal(HttpStatusCode.Created, success.StatusCode);
        }
    }

    [Fact]
    public async Task A_user_the_directory_created_without_a_password_cannot_sign_in()
    {
        var email = $"nopass-{Guid.NewGuid():N}@tokens.test";
        await world.Admin.MemberAsync(ApiWorld.Project, email);

        using var response = await SignInAsync(email, "");
        await response.AssertProblemAsync(400, "password");
        using var guessed = await SignInAsync(email, Password);
        await guessed.AssertProblemAsync(401);
    }
}
