using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;

namespace WebhookAdmin.Features.Settings.Pages;

/// <summary>The signed-in person's own API tokens: list, create (shown once), revoke. Same service as <c>/api/v1/tokens</c>.</summary>
public sealed partial class TokenSettings
{
    private MudDataGrid<TokenResponse> _grid = null!;
    private CurrentUser _user = new("", "", false, new HashSet<string>());
    private DateTime _now;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = null!;
    [Inject] private ApiTokenService Tokens { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    protected override async Task OnInitializedAsync() => _user = await AuthState.CurrentUserAsync();

    private async Task<GridData<TokenResponse>> LoadAsync(GridState<TokenResponse> state, CancellationToken cancellationToken)
    {
        _now = Time.GetUtcNow().UtcDateTime;
        // A person has a handful of tokens: the service lists them all, the grid pages them.
        var all = await Tokens.ListAsync((await AuthState.CurrentUserAsync()).Id, cancellationToken);
        return new GridData<TokenResponse> { Items = all.Skip(state.Page * state.PageSize).Take(state.PageSize).ToList(), TotalItems = all.Count };
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateTokenDialog>(L["Settings.Tokens.New"],
            new DialogParameters<CreateTokenDialog> { { d => d.User, _user } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: CreatedTokenResponse created }) return;
        await _grid.ReloadServerData();
        // The only time the token exists in clear: the dialog shows it, and nothing keeps it afterwards.
        var shown = await Dialogs.ShowAsync<TokenCreatedDialog>(L["Settings.Created.Title", created.Name],
            new DialogParameters<TokenCreatedDialog> { { d => d.Token, created.Token } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false });
        await shown.Result;
    }

    private async Task RevokeAsync(TokenResponse token)
    {
        if (!await Dialogs.ConfirmAsync(L["Settings.Revoke.Title", token.Name], L["Settings.Revoke.Message", token.Name],
                L["Settings.Revoke.Confirm"], Color.Error, L["Settings.Revoke.Detail", token.Prefix])) return;
        var revoked = await Tokens.RevokeAsync(_user.Id, token.Id, anyUser: false, CancellationToken.None);
        Snackbar.Add(revoked ? L["Settings.Revoke.Done", token.Name] : L["Settings.Revoke.Gone"], revoked ? Severity.Success : Severity.Info);
        await _grid.ReloadServerData();
    }
}
