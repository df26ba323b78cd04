using Microsoft.AspNetCore.Components;
using MudBlazor;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Deliveries.Replays;

namespace WebhookAdmin.Features.Deliveries.Pages;

/// <summary>
/// The replay dialog of the delivery log and the webhook page. The count is the dry run of exactly what the
/// confirm button starts; once started, the dialog follows the replay every second until it has finished.
/// </summary>
public sealed partial class ReplayDialog : IAsyncDisposable
{
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Closed only by its buttons: a click beside it must not hide a replay that is running.</summary>
    public static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false };

    private static readonly (int Days, string Key)[] Ranges =
        [(1, "Log.Range.Day"), (7, "Log.Range.Week"), (30, "Log.Range.Month"), (90, "Replay.Range.Quarter")];

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = null!;
    [Inject] private ReplayService Replays { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;

    [Parameter, EditorRequired] public string WebhookId { get; set; } = "";
    [Parameter, EditorRequired] public CurrentUser User { get; set; } = null!;
    [Parameter] public DeliveryStatus? Status { get; set; }
    [Parameter] public int Days { get; set; } = 7;
    [Parameter] public string? Event { get; set; }
    [Parameter] public string? Project { get; set; }
    /// <summary>How the page names the event type and project it narrowed to.</summary>
    [Parameter] public string? EventLabel { get; set; }
    [Parameter] public string? ProjectLabel { get; set; }

    private readonly List<DeliveryStatus> _statuses = [];
    private int _days;
    private int? _count;
    private bool _busy;
    private string? _error;
    private ReplayResponse? _replay;
    private AutoRefresh? _progress;

    private bool Finished => _replay is { State: "done" or "cancelled" or "failed" };

    protected override async Task OnInitializedAsync()
    {
        _statuses.Add(Status is { } s && ReplayCriteria.Replayable.Contains(s) ? s : DeliveryStatus.Failed);
        _days = Ranges.Select(r => r.Days).FirstOrDefault(d => d >= Days, 90);
        await CountAsync();
    }

    private Task ToggleAsync(DeliveryStatus status, bool on)
    {
        if (on) _statuses.Add(status);
        else _statuses.Remove(status);
        return CountAsync();
    }

    private Task ChangeRangeAsync(int days)
    {
        _days = days;
        return CountAsync();
    }

    private ReplayCriteria Criteria()
    {
        var now = Time.GetUtcNow().UtcDateTime;
        return new ReplayCriteria([.. _statuses], now.AddDays(-_days), now, Event, Project);
    }

    private async Task CountAsync()
    {
        _error = null;
        if (_statuses.Count == 0)
        {
            _count = 0;
            return;
        }
        var result = await Replays.CountAsync(User, WebhookId, Criteria(), CancellationToken.None);
        _count = result is ServiceResult<int>.Success { Value: var count } ? count : 0;
        _error = result.ErrorMessage;
    }

    private async Task StartAsync()
    {
        _busy = true;
        var result = await Replays.StartAsync(User, WebhookId, Criteria(), CancellationToken.None);
        _busy = false;
        if (result is not ServiceResult<ReplayStartedResponse>.Success { Value: var started })
        {
            _error = result.ErrorMessage;
            return;
        }
        _replay = await Replays.GetAsync(User, started.Id, CancellationToken.None);
        _progress = new AutoRefresh(InvokeAsync, FollowAsync, ProgressInterval);
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        if (_replay is null || Finished) return;
        _replay = await Replays.GetAsync(User, _replay.Id, cancellationToken) ?? _replay;
        StateHasChanged();
    }

    private async Task StopAsync()
    {
        _busy = true;
        var result = await Replays.CancelAsync(User, _replay!.Id, CancellationToken.None);
        _busy = false;
        if (result is ServiceResult<ReplayResponse>.Success { Value: var replay }) _replay = replay;
        else _error = result.ErrorMessage;
    }

    private double Percent(int sent) => _replay is { Count: > 0 } r ? 100.0 * sent / r.Count : 100;

    private string StateText(ReplayResponse replay) => replay.State == "failed"
        ? L["Replay.State.failed", replay.Error ?? ""]
        : L[$"Replay.State.{replay.State}"];

    private IEnumerable<string> Narrowing()
    {
        if (Event is not null) yield return EventLabel ?? Event;
        if (Project is not null) yield return ProjectLabel ?? Project;
    }

    public async ValueTask DisposeAsync()
    {
        if (_progress is not null) await _progress.DisposeAsync();
    }
}
