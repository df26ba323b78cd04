using Microsoft.Extensions.Localization;
using MudBlazor;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Resources;

namespace WebhookAdmin.Features.Webhooks.Pages;

/// <summary>
/// The actions the list and the detail page both offer (test, disable, re-enable), with their dialogs and
/// confirmations, so the two pages behave the same. Each returns whether the webhook changed.
/// </summary>
public sealed class WebhookActions(IDialogService dialogs, ISnackbar snackbar, WebhookService webhooks, IStringLocalizer<UiText> L)
{
    public async Task TestAsync(CurrentUser user, WebhookResponse webhook)
    {
        var parameters = new DialogParameters<TestEventDialog> { { d => d.Webhook, webhook }, { d => d.User, user } };
        var dialog = await dialogs.ShowAsync<TestEventDialog>(L["Test.Title", Name(webhook)], parameters);
        await dialog.Result;
    }

    public async Task<bool> DisableAsync(CurrentUser user, WebhookResponse webhook)
    {
        if (!await dialogs.ConfirmAsync(L["Disable.Title", Name(webhook)], L["Disable.Message"], L["Disable.Confirm"], Color.Warning))
            return false;
        var result = await webhooks.DisableAsync(user, webhook.Id, CancellationToken.None);
        if (result is ServiceResult<WebhookResponse>.Success)
        {
            snackbar.Add(L["Disable.Done", Name(webhook)], Severity.Info);
            return true;
        }
        snackbar.Add(result.ErrorMessage ?? L["Common.UnexpectedError"], Severity.Error);
        return false;
    }

    /// <summary>
    /// Opens the enable dialog for <paramref name="webhook"/> as <paramref name="user"/>; <paramref name="held"/> deliveries
    /// wait for it, and the dialog asks whether to send them.
    /// </summary>
    public async Task<bool> EnableAsync(CurrentUser user, WebhookResponse webhook, int held)
    {
        var parameters = new DialogParameters<EnableDialog> { { d => d.Webhook, webhook }, { d => d.User, user }, { d => d.Held, held } };
        var dialog = await dialogs.ShowAsync<EnableDialog>(L["Enable.Title", Name(webhook)], parameters);
        if (await dialog.Result is not { Canceled: false, Data: EnableWebhookResponse enabled })
            return false;
        var check = enabled.HealthCheck;
        snackbar.Add(enabled.Released > 0
            ? L["Enable.DoneReplay", Name(webhook), check.StatusCode ?? 0, Formats.Milliseconds(check.DurationMs), enabled.Released]
            : L["Enable.Done", Name(webhook), check.StatusCode ?? 0, Formats.Milliseconds(check.DurationMs)], Severity.Success);
        return true;
    }

    public static string Name(WebhookResponse webhook) => webhook.Name ?? webhook.Url;
}
