using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Dashboard;

namespace WebhookAdmin.Features.Webhooks.Pages;

public enum ConditionFilter { All, Healthy, Failing, Disabled }

/// <summary>One line of the list: the webhook as the API shows it, plus its last 24 hours.</summary>
public sealed record WebhookRow(WebhookResponse Webhook, AttemptStats? Stats)
{
    public DateTime? LastAttemptAt => (Webhook.LastSuccessAt, Webhook.LastFailureAt) switch
    {
        ({ } s, { } f) => s > f ? s : f,
        (var s, var f) => s ?? f,
    };
}

public sealed partial class WebhookList
{
    private MudDataGrid<WebhookRow> _grid = null!;
    private CurrentUser _user = null!;
    private Dictionary<string, ProjectName> _projects = [];
    private string? _search;
    private ConditionFilter _filter;
    private DateTime _now;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    /// <summary>?status=healthy|failing|disabled (the dashboard's figures link here).</summary>
    [SupplyParameterFromQuery] public string? Status { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _user = await AuthState.CurrentUserAsync();
        _filter = Enum.TryParse<ConditionFilter>(Status, ignoreCase: true, out var filter) ? filter : ConditionFilter.All;
        _projects = WebhookTexts.ProjectNames(await Organization.CompaniesForAsync(_user, CancellationToken.None));
    }

    private async Task<GridData<WebhookRow>> LoadAsync(GridState<WebhookRow> state, CancellationToken cancellationToken)
    {
        _now = Time.GetUtcNow().UtcDateTime;
        var page = new PageRequest(state.Page * state.PageSize, state.PageSize);
        var result = await Webhooks.ListAsync(_user, ToFilter(), page, cancellationToken);
        var stats = await Stats.AttemptStatsAsync(result.Items.Select(w => w.Id).ToList(), cancellationToken);
        return new GridData<WebhookRow>
        {
            Items = result.Items.Select(w => new WebhookRow(w, stats.GetValueOrDefault(w.Id))).ToList(),
            TotalItems = result.PageInfo.TotalItems,
        };
    }

    private WebhookFilter ToFilter() => _filter switch
    {
        ConditionFilter.Healthy => new WebhookFilter(Enabled: true, Search: _search, Failing: false),
        ConditionFilter.Failing => new WebhookFilter(Enabled: true, Search: _search, Failing: true),
        ConditionFilter.Disabled => new WebhookFilter(Enabled: false, Search: _search),
        _ => new WebhookFilter(Search: _search),
    };

    private async Task FilterChangedAsync(ConditionFilter filter)
    {
        _filter = filter;
        await ReloadFromFirstPageAsync();
    }

    private async Task ReloadFromFirstPageAsync()
    {
        if (_grid.CurrentPage != 0) _grid.NavigateTo(Page.First);
        else await _grid.ReloadServerData();
    }

    private Task ToggleAsync(WebhookRow row, bool on) => on ? EnableAsync(row) : DisableAsync(row);

    private Task TestAsync(WebhookRow row) => Actions.TestAsync(_user, row.Webhook);

    // Reloaded whatever the answer: a cancelled switch must flip back to what is true.
    private async Task DisableAsync(WebhookRow row)
    {
        await Actions.DisableAsync(_user, row.Webhook);
        await _grid.ReloadServerData();
    }

    private async Task EnableAsync(WebhookRow row)
    {
        var held = await Health.ForWebhookAsync(_user, row.Webhook.Id, CancellationToken.None) is ServiceResult<WebhookHealthResponse>.Success health
            ? health.Value.AwaitingReplay : 0;
        await Actions.EnableAsync(_user, row.Webhook, held);
        await _grid.ReloadServerData();
    }
}
