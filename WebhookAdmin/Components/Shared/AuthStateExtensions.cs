using Microsoft.AspNetCore.Components.Authorization;
using WebhookAdmin.Features.Accounts;

namespace WebhookAdmin.Components.Shared;

public static class AuthStateExtensions
{
    /// <summary>
    /// The signed-in person as the feature services expect them. A cookie user has no scopes, so they act as
    /// the whole person: their own webhooks, or everything for an administrator.
    /// </summary>
    public static async Task<CurrentUser> CurrentUserAsync(this Task<AuthenticationState> state) =>
        CurrentUser.From((await state).User);
}
