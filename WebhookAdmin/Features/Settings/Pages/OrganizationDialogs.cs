using MudBlazor;
using WebhookAdmin.Features.Common;

namespace WebhookAdmin.Features.Settings.Pages;

public static class OrganizationDialogs
{
    /// <summary>
    /// Opens <see cref="NameDialog"/>; answers the id when it saved (empty for a rename), null when cancelled.
    /// <paramref name="idTaken"/> set means "new": the dialog asks for an id too.
    /// </summary>
    public static async Task<string?> NameAsync(this IDialogService dialogs, string title, string confirmText,
        Func<string, string, Task<string?>> save, string? name = null, string? intro = null, Func<string, Task<bool>>? idTaken = null)
    {
        var parameters = new DialogParameters<NameDialog>
        {
            { d => d.Name, name },
            { d => d.Intro, intro },
            { d => d.AskId, idTaken is not null },
            { d => d.IdTaken, idTaken },
            { d => d.Save, save },
            { d => d.ConfirmText, confirmText },
        };
        var dialog = await dialogs.ShowAsync<NameDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        return await dialog.Result is { Canceled: false, Data: var id } ? id as string ?? "" : null;
    }

    /// <summary>What an organization write answered, as the sentence to show; null when it worked.</summary>
    public static string? Problem<T>(ServiceResult<T> result) => result is ServiceResult<T>.Success ? null : result.ErrorMessage;
}
