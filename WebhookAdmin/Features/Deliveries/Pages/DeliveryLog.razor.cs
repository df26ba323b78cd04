using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Features.Webhooks.Pages;

namespace WebhookAdmin.Features.Deliveries.Pages;

/// <summary>
/// Every delivery the person may see, newest first, server-paged. The address bar is the filters' one source of
/// truth: a change navigates to the filtered address, and the page reads its filters back from there.
/// </summary>
public sealed partial class DeliveryLog
{
    private MudDataGrid<DeliveryResponse>? _grid;
    private CurrentUser _user = null!;
    private LogFilter _filter = new();
    // The webhooks named on the pages seen so far (null: one the person may not see, or deleted), looked up per page.
    private readonly Dictionary<string, WebhookChoice?> _webhooks = [];
    private Dictionary<string, ProjectName> _projects = [];
    private DateTime _now;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = null!;
    [Inject] private DeliveryQueries Deliveries { get; set; } = null!;
    [Inject] private WebhookService Webhooks { get; set; } = null!;
    [Inject] private OrganizationService Organization { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "webhook")] public string? WebhookParameter { get; set; }
    [SupplyParameterFromQuery(Name = "event")] public string? EventParameter { get; set; }
    [SupplyParameterFromQuery(Name = "project")] public string? ProjectParameter { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? StatusParameter { get; set; }
    [SupplyParameterFromQuery(Name = "range")] public string? RangeParameter { get; set; }
    [SupplyParameterFromQuery(Name = "eventId")] public string? EventIdParameter { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _user = await AuthState.CurrentUserAsync();
        _projects = WebhookTexts.ProjectNames(await Organization.CompaniesForAsync(_user, CancellationToken.None));
    }

    protected override async Task OnParametersSetAsync()
    {
        var filter = LogFilter.FromQuery(WebhookParameter, EventParameter, ProjectParameter, StatusParameter, RangeParameter, EventIdParameter);
        if (filter == _filter) return;
        _filter = filter;
        if (_grid is null) return;
        if (_grid.CurrentPage != 0) _grid.NavigateTo(Page.First);
        else await _grid.ReloadServerData();
    }

    /// <summary>A filter changed: go to its address; <see cref="OnParametersSetAsync"/> then reloads the list.</summary>
    private Task ApplyAsync(LogFilter filter)
    {
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(filter.ToQuery()), replace: true);
        return Task.CompletedTask;
    }

    private async Task<GridData<DeliveryResponse>> LoadAsync(GridState<DeliveryResponse> state, CancellationToken cancellationToken)
    {
        _now = Time.GetUtcNow().UtcDateTime;
        var page = await Deliveries.ListAsync(_user, _filter.ToDeliveryFilter(_now),
            new PageRequest(state.Page * state.PageSize, state.PageSize), cancellationToken);
        await NameWebhooksAsync(page.Items.Select(d => d.WebhookId), cancellationToken);
        return new GridData<DeliveryResponse> { Items = page.Items, TotalItems = page.PageInfo.TotalItems };
    }

    // Only the webhooks of the rows shown, each once: a person may have thousands, and a page names a handful.
    private async Task NameWebhooksAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids.Distinct().Where(id => !_webhooks.ContainsKey(id)).ToList())
            _webhooks[id] = await Webhooks.FindAsync(_user, id, cancellationToken) is { } webhook
                ? WebhookChoice.From(WebhookResponse.From(webhook)) : null;
    }

    private string WebhookName(string id) =>
        _webhooks.GetValueOrDefault(id) is { } webhook ? webhook.Label : L["Log.WebhookById", id[..Math.Min(8, id.Length)]];

    private string ProjectName(string id) => _projects.TryGetValue(id, out var p) ? L["Log.ProjectOf", p.Name, p.CompanyName] : id;

    // The engine's error already says what happened in words (in the reader's language); a bare status code otherwise.
    private string Result(DeliveryResponse d) =>
        EngineWords.For(d.LastError, d.LastErrorReason) ?? (d.LastStatusCode is { } code ? $"HTTP {code}" : d.Attempts == 0 ? L["Log.NotSentYet"] : "—");

    /// <summary>The replay dialog, narrowed as the log is: its webhook, status, event, project and time range.</summary>
    private async Task ReplayAsync()
    {
        var webhookId = _filter.Webhook!;
        await NameWebhooksAsync([webhookId], CancellationToken.None);
        var dialog = await Dialogs.ShowAsync<ReplayDialog>(L["Replay.Title", WebhookName(webhookId)], new DialogParameters<ReplayDialog>
        {
            { d => d.WebhookId, webhookId },
            { d => d.User, _user },
            { d => d.Status, DeliveryStatusNames.TryParse(_filter.Status, out var status) ? status : null },
            { d => d.Days, LogFilter.DaysOf(_filter.Range) },
            { d => d.Event, _filter.Event },
            { d => d.EventLabel, _filter.Event is { } type ? L.EventName(type) : null },
            { d => d.Project, _filter.Project },
            { d => d.ProjectLabel, _filter.Project is { } project ? ProjectName(project) : null },
        }, ReplayDialog.Options);
        await dialog.Result;
        await RefreshAsync();
    }

    private Task RefreshAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;
}
