using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Dashboard;

namespace WebhookAdmin.Features.Webhooks.Pages;

/// <summary>
/// One webhook: how it is doing and why, what it sends, its deliveries, and what can be done to it. Another
/// person's webhook is "not found", exactly like one that does not exist.
/// </summary>
public sealed partial class WebhookDetail
{
    public const int ChartAttempts = 50;

    [Parameter] public string Id { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = null!;
    [Inject] private WebhookService Webhooks { get; set; } = null!;
    [Inject] private WebhookHealth Health { get; set; } = null!;
    [Inject] private DashboardQueries Queries { get; set; } = null!;
    [Inject] private OrganizationService Organization { get; set; } = null!;
    [Inject] private WebhookActions Actions { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    private CurrentUser _user = null!;
    private bool _loading = true;
    private WebhookResponse? _webhook;
    private WebhookHealthResponse? _health;
    private IReadOnlyList<RecentAttempt> _attempts = [];
    private Dictionary<string, ProjectName> _projects = [];
    private DateTime _now;
    private WebhookDeliveries? _deliveries;
    private AutoRefresh? _refresh;

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new(L["Nav.Webhooks"], "/webhooks"),
        new(_webhook is null ? "" : WebhookActions.Name(_webhook), null, disabled: true),
    ];

    protected override async Task OnInitializedAsync()
    {
        _user = await AuthState.CurrentUserAsync();
        _projects = WebhookTexts.ProjectNames(await Organization.CompaniesForAsync(_user, CancellationToken.None));
        await LoadAsync(CancellationToken.None);
        _loading = false;
        if (RendererInfo.IsInteractive && _webhook is not null)
            _refresh = new AutoRefresh(InvokeAsync, RefreshAsync);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _now = Time.GetUtcNow().UtcDateTime;
        var webhook = await Webhooks.FindAsync(_user, Id, cancellationToken);
        _webhook = webhook is null ? null : WebhookResponse.From(webhook);
        if (_webhook is null) return;
        _health = await Health.ForWebhookAsync(_user, Id, cancellationToken) is ServiceResult<WebhookHealthResponse>.Success h ? h.Value : null;
        _attempts = await Queries.RecentAttemptsAsync(_user, Id, ChartAttempts, cancellationToken);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (_deliveries is not null) await _deliveries.ReloadAsync();
        StateHasChanged();
    }

    private Task ReloadNowAsync() => RefreshAsync(CancellationToken.None);

    private string ProjectLabel(string id) =>
        _projects.TryGetValue(id, out var p) ? $"{p.Name} ({p.CompanyName})" : id;

    private async Task TestAsync()
    {
        await Actions.TestAsync(_user, _webhook!);
        await ReloadNowAsync();
    }

    private async Task DisableAsync()
    {
        if (await Actions.DisableAsync(_user, _webhook!)) await ReloadNowAsync();
    }

    private async Task EnableAsync()
    {
        if (await Actions.EnableAsync(_user, _webhook!, _health?.AwaitingReplay ?? 0)) await ReloadNowAsync();
    }

    private async Task ReplayAsync()
    {
        var dialog = await Dialogs.ShowAsync<Deliveries.Pages.ReplayDialog>(L["Replay.Title", WebhookActions.Name(_webhook!)],
            new DialogParameters<Deliveries.Pages.ReplayDialog> { { d => d.WebhookId, _webhook!.Id }, { d => d.User, _user } },
            Deliveries.Pages.ReplayDialog.Options);
        await dialog.Result;
        await ReloadNowAsync();
    }

    private async Task RotateAsync()
    {
        var dialog = await Dialogs.ShowAsync<RotateSecretDialog>(L["Rotate.Title", WebhookActions.Name(_webhook!)],
            new DialogParameters<RotateSecretDialog> { { d => d.WebhookId, _webhook!.Id }, { d => d.User, _user } });
        if (await dialog.Result is not { Canceled: false, Data: RotateSecretResponse rotated }) return;
        var options = new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseButton = false, CloseOnEscapeKey = false, BackdropClick = false };
        var secret = await Dialogs.ShowAsync<SecretDialog>(L["Secret.RotatedTitle", WebhookActions.Name(_webhook!)],
            new DialogParameters<SecretDialog> { { d => d.Secret, rotated.Secret }, { d => d.Rotation, rotated } }, options);
        await secret.Result;
    }

    private async Task DeleteAsync()
    {
        var name = WebhookActions.Name(_webhook!);
        var waiting = (_health?.Pending ?? 0) + (_health?.Held ?? 0);
        if (!await Dialogs.ConfirmAsync(L["Delete.Title", name], L["Delete.Message", name], L["Delete.Confirm"], Color.Error,
                waiting > 0 ? L["Delete.Waiting", waiting] : L["Delete.History"]))
            return;
        if (await Webhooks.DeleteAsync(_user, _webhook!.Id, CancellationToken.None))
        {
            Snackbar.Add(L["Delete.Done", name], Severity.Success);
            Navigation.NavigateTo("/webhooks");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_refresh is not null) await _refresh.DisposeAsync();
    }
}
