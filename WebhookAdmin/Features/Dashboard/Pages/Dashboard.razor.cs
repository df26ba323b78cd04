using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using WebhookAdmin.Components.Shared;

namespace WebhookAdmin.Features.Dashboard.Pages;

public sealed partial class Dashboard
{
    private DashboardSummary? _summary;
    private StorageFacts? _storage;
    private AutoRefresh? _refresh;
    private Accounts.CurrentUser _user = null!;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        _user = await AuthState.CurrentUserAsync();
        _summary = await Queries.SummaryAsync(_user, CancellationToken.None);
        _storage = await Storage.FactsAsync(_user, CancellationToken.None);
        // Only on the live circuit: a prerendered page is thrown away at once.
        if (RendererInfo.IsInteractive)
            _refresh = new AutoRefresh(InvokeAsync, ReloadAsync);
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        _summary = await Queries.SummaryAsync(_user, cancellationToken);
        _storage = await Storage.FactsAsync(_user, cancellationToken);
        StateHasChanged();
    }

    // The log filtered to what waits: held deliveries when some are (they need a person), else the pending ones.
    private string BacklogHref => _summary is { Held: > 0 } ? "/deliveries?status=held" : "/deliveries?status=pending";

    private string BacklogCaption => _summary switch
    {
        null or { Pending: 0, Held: 0 } => L["Dashboard.Backlog.None"],
        { OldestWaitingAt: { } oldest } s => L["Dashboard.Backlog.Caption", Formats.Count(s.Pending), Formats.Count(s.Held), Formats.Span(s.Now - oldest)],
        _ => "",
    };

    public async ValueTask DisposeAsync()
    {
        if (_refresh is not null) await _refresh.DisposeAsync();
    }
}
