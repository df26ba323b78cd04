using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Features.Webhooks.Pages;

namespace WebhookAdmin.Features.Deliveries.Pages;

/// <summary>One delivery: what was sent (the payload), every attempt with the receiver's answer, and "send again".</summary>
public sealed partial class DeliveryDetail
{
    /// <summary>Readable JSON: indented, and letters such as "ç" shown as they are (markup escaping still applies).</summary>
    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Polls of 300 ms (wall clock: the app's TimeProvider may be a test's fake) before the live refresh takes over.</summary>
    private const int NewAttemptPolls = 100;

    private bool _loading = true;
    private bool _resending;
    private CurrentUser _user = null!;
    private DeliveryDetailResponse? _delivery;
    private Webhook? _webhook;
    private string _payload = "";
    private Dictionary<string, ProjectName> _projects = [];
    private DateTime _now;
    private AutoRefresh? _refresh;

    [Parameter] public long Id { get; set; }
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = null!;
    [Inject] private DeliveryQueries Deliveries { get; set; } = null!;
    [Inject] private DeliveryResend Resend { get; set; } = null!;
    [Inject] private WebhookService Webhooks { get; set; } = null!;
    [Inject] private OrganizationService Organization { get; set; } = null!;
    [Inject] private UserPreferences Preferences { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        _user = await AuthState.CurrentUserAsync();
        await LoadAsync(CancellationToken.None);
        if (_delivery is not null)
            _projects = WebhookTexts.ProjectNames(await Organization.CompaniesForAsync(_user, CancellationToken.None));
        _loading = false;
        // Live while open: a waiting delivery turns into delivered (or failed) without a reload.
        if (RendererInfo.IsInteractive && _refresh is null && _delivery is not null)
            _refresh = new AutoRefresh(InvokeAsync, async ct => { await LoadAsync(ct); StateHasChanged(); });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _now = Time.GetUtcNow().UtcDateTime;
        _delivery = await Deliveries.GetAsync(_user, Id, cancellationToken);
        if (_delivery is null) return;
        _payload = JsonSerializer.Serialize(_delivery.Payload, Indented);
        _webhook = await Webhooks.FindAsync(_user, _delivery.WebhookId, cancellationToken);
    }

    private bool CanResend => !_resending && _webhook is not null && _delivery is { Status: not DeliveryStatusNames.Delivering };

    private async Task ResendAsync()
    {
        if (_delivery is null) return;
        _resending = true;
        var before = _delivery.AttemptLog.Count;
        var outcome = await Resend.ResendAsync(_user, Id, CancellationToken.None);
        switch (outcome)
        {
            case ResendOutcome.Started:
                Snackbar.Add(L["Log.Resent"], Severity.Success);
                await WaitForNewAttemptAsync(before);
                break;
            case ResendOutcome.WebhookDeleted:
                Snackbar.Add(L["Log.WebhookDeleted"], Severity.Warning);
                break;
            case ResendOutcome.InFlight:
                Snackbar.Add(L["Log.InFlight"], Severity.Warning);
                break;
            default:
                await LoadAsync(CancellationToken.None);
                break;
        }
        _resending = false;
    }

    /// <summary>The resend runs in the background; show its attempt as soon as it is recorded.</summary>
    private async Task WaitForNewAttemptAsync(int before)
    {
        for (var poll = 0; poll < NewAttemptPolls && _delivery is not null && _delivery.AttemptLog.Count <= before; poll++)
        {
            await Task.Delay(300);
            await LoadAsync(CancellationToken.None);
            StateHasChanged();
        }
    }

    private string ProjectName(string id) => _projects.TryGetValue(id, out var p) ? L["Log.ProjectOf", p.Name, p.CompanyName] : id;

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new(L["Log.Title"], "/deliveries"),
        new(L["Log.Detail.Crumb", Id], null, disabled: true),
    ];

    public async ValueTask DisposeAsync()
    {
        if (_refresh is not null) await _refresh.DisposeAsync();
    }
}
