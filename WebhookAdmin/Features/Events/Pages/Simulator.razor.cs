using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Events.Pages;

/// <summary>The event a simulated publish produced and how many webhooks it matched.</summary>
public sealed record SimulatedEvent(string Id, string Type, string ProjectName, int Matched);

/// <summary>
/// Publishes an event as the host platform would (through <see cref="IngestionService"/>, the API's path), then
/// follows its deliveries live. Administrators only: it sends real, signed requests to everyone's receivers.
/// </summary>
public sealed partial class Simulator : IAsyncDisposable
{
    public const string ActorId = "webhookadmin-simulator";
    private static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(2);

    private CurrentUser? _user;
    private List<CompanyTreeResponse> _companies = [];
    private string? _companyId;
    private string? _projectId;
    private string _eventType = EventCatalog.Subscribable[0].Name;
    private string _previous = "";
    private string _current = "";
    private string? _previousError;
    private string? _currentError;
    private string? _publishError;
    private bool _publishing;
    private SimulatedEvent? _published;
    private IReadOnlyList<DeliveryResponse> _deliveries = [];
    private readonly Dictionary<string, string> _webhookNames = [];
    private DateTime _now;
    private AutoRefresh? _refresh;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = null!;
    [Inject] private IngestionService Ingestion { get; set; } = null!;
    [Inject] private DeliveryQueries Deliveries { get; set; } = null!;
    [Inject] private WebhookService Webhooks { get; set; } = null!;
    [Inject] private OrganizationService Organization { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    private IReadOnlyList<ProjectBrief> Projects => _companies.FirstOrDefault(c => c.Id == _companyId)?.Projects ?? [];

    protected override async Task OnInitializedAsync()
    {
        var user = await AuthState.CurrentUserAsync();
        if (user.SeesEverything)
        {
            _companies = await Organization.CompaniesForAsync(user, CancellationToken.None);
            CompanyChanged(_companies.FirstOrDefault()?.Id);
            ResetSample();
            if (RendererInfo.IsInteractive)
                _refresh = new AutoRefresh(InvokeAsync, FollowAsync, FollowInterval);
        }
        _user = user;
    }

    private void CompanyChanged(string? companyId)
    {
        _companyId = companyId;
        _projectId = Projects.Count > 0 ? Projects[0].Id : null;
    }

    private void EventTypeChanged(string type)
    {
        if (!EventCatalog.IsSubscribable(type)) return;
        _eventType = type;
        ResetSample();
    }

    /// <summary>A plausible record for the chosen type; created events have no previous value, deleted ones no current.</summary>
    private void ResetSample()
    {
        var (previous, current) = SampleEvents.For(_eventType);
        _previous = SimulatorJson.Format(previous);
        _current = SimulatorJson.Format(current);
        _previousError = _currentError = null;
    }

    private async Task PublishAsync()
    {
        var previous = SimulatorJson.Parse(_previous);
        var current = SimulatorJson.Parse(_current);
        _previousError = ErrorFor(previous);
        _currentError = ErrorFor(current);
        _publishError = null;
        if (_previousError is not null || _currentError is not null || _projectId is null) return;

        _publishing = true;
        try
        {
            var request = new PublishEventRequest(EventIds.New(), _eventType, _projectId, ActorId, null, previous.Element, current.Element);
            switch (await Ingestion.PublishAsync([request], batch: false, CancellationToken.None))
            {
                case IngestionResult.Accepted { Events: [var only] }:
                    var project = Projects.FirstOrDefault(p => p.Id == _projectId)?.Name ?? _projectId;
                    _published = new SimulatedEvent(only.Id, _eventType, project, only.Deliveries);
                    _deliveries = [];
                    await FollowAsync(CancellationToken.None);
                    break;
                case IngestionResult.Invalid invalid:
                    _publishError = string.Join(" ", invalid.Errors.Values.SelectMany(v => v));
                    break;
                case IngestionResult.UnknownProject:
                    _publishError = L["Simulator.UnknownProject"];
                    break;
            }
        }
        finally
        {
            _publishing = false;
        }
    }

    private string? ErrorFor(SimulatorJson json) =>
        json is SimulatorJson.Invalid invalid ? L["Simulator.InvalidJson", invalid.Line, invalid.Position].Value : null;

    /// <summary>The published event's deliveries as they are now (pending, then delivered or failed).</summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        if (_published is null || _user is null) return;
        _now = Time.GetUtcNow().UtcDateTime;
        var page = await Deliveries.ListAsync(_user, new DeliveryFilter(EventId: _published.Id), new PageRequest(0, PageRequest.MaxTake), cancellationToken);
        foreach (var id in page.Items.Select(d => d.WebhookId).Where(id => !_webhookNames.ContainsKey(id)).Distinct().ToList())
        {
            var webhook = await Webhooks.FindAsync(_user, id, cancellationToken);
            _webhookNames[id] = webhook?.Name ?? webhook?.Url ?? id;
        }
        _deliveries = page.Items;
        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        if (_refresh is not null) await _refresh.DisposeAsync();
    }
}
