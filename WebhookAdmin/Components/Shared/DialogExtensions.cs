using MudBlazor;

namespace WebhookAdmin.Components.Shared;

public static class DialogExtensions
{
    /// <summary>Asks before doing something with consequences; true when the person confirmed.</summary>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string confirmText,
        Color color = Color.Primary, string? detail = null)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.Detail, detail },
            { d => d.ConfirmText, confirmText },
            { d => d.Color, color },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters);
        var result = await dialog.Result;
        return result is { Canceled: false };
    }
}
