using System.Net;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Infrastructure;

/// <summary>People who sign in to the admin app in browser tests, made through the public API.</summary>
public static class UiUsers
{
    public const string Password = "Password!123";

    public static async Task<string> CreateAsync(HttpClient admin, string email, string? displayName = null, bool isAdmin = false)
    {
        await admin.PostOk("/api/v1/users", new { email, password = Password, displayName, isAdmin }, HttpStatusCode.Created);
        return email;
    }
}
