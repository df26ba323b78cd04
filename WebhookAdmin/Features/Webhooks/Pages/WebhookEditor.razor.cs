using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;

namespace WebhookAdmin.Features.Webhooks.Pages;

/// <summary>
/// Create and edit as a guided form: where to, which events, which projects, with a live summary. Every
/// check that matters is the service's (WebhookService, its SSRF guard, membership), shown in plain words.
/// </summary>
public sealed partial class WebhookEditor
{
    [Parameter] public string? Id { get; set; }

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = null!;
    [Inject] private WebhookService Webhooks { get; set; } = null!;
    [Inject] private WebhookRules Rules { get; set; } = null!;
    [Inject] private OrganizationService Organization { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    private CurrentUser _user = null!;
    private IReadOnlyList<CompanyTreeResponse> _companies = [];
    private Dictionary<string, ProjectName> _projectNames = [];
    private bool _loading = true, _notFound, _saving;

    private string? _url, _name, _savedName;
    private bool _allEvents = true, _allProjects = true;
    private IReadOnlySet<string> _events = new HashSet<string>(), _projects = new HashSet<string>();
    private string? _urlError, _nameError, _eventsError, _projectsError, _formError;

    private bool IsNew => Id is null;
    private string Title => IsNew ? L["Editor.NewTitle"] : L["Editor.EditTitle", _savedName ?? ""];

    private List<BreadcrumbItem> Breadcrumbs => IsNew
        ? [new(L["Nav.Webhooks"], "/webhooks"), new(L["Webhooks.New"], null, disabled: true)]
        : [new(L["Nav.Webhooks"], "/webhooks"), new(_savedName ?? "", $"/webhooks/{Id}"), new(L["Webhooks.Edit"], null, disabled: true)];

    private List<ProjectName> ChosenProjects =>
        _projects.Select(id => _projectNames.GetValueOrDefault(id)).OfType<ProjectName>().OrderBy(p => p.CompanyName).ThenBy(p => p.Name).ToList();

    protected override async Task OnInitializedAsync()
    {
        _user = await AuthState.CurrentUserAsync();
        var owner = _user;
        if (!IsNew)
        {
            var webhook = await Webhooks.FindAsync(_user, Id!, CancellationToken.None);
            if (webhook is null)
            {
                _notFound = true;
                _loading = false;
                return;
            }
            (_url, _name) = (webhook.Url, webhook.Name);
            _savedName = webhook.Name ?? webhook.Url;
            (_allEvents, _events) = (webhook.Events.Count == 0, webhook.Events.ToHashSet());
            (_allProjects, _projects) = (webhook.ProjectIds.Count == 0, webhook.ProjectIds.ToHashSet());
            // The projects to choose from are the owner's (an administrator may be editing someone else's webhook).
            owner = new CurrentUser(webhook.OwnerId, "", false, new HashSet<string>());
        }
        _companies = MemberCompanies(await Organization.CompaniesForAsync(owner, CancellationToken.None));
        _projectNames = WebhookTexts.ProjectNames(_companies);
        _loading = false;
    }

    /// <summary>Only projects the owner is a member of can be chosen (the service refuses the others).</summary>
    private static List<CompanyTreeResponse> MemberCompanies(IEnumerable<CompanyTreeResponse> companies) =>
        companies.Select(c => c with { Projects = c.Projects.Where(p => p.Role is not null).ToList() })
            .Where(c => c.Projects.Count > 0).ToList();

    private void UrlChanged(string? url)
    {
        _url = url;
        _urlError = null;
    }

    /// <summary>The SSRF guard's verdict as soon as the field is left, in the words the service would use on save.</summary>
    private async Task CheckUrlAsync()
    {
        if (string.IsNullOrWhiteSpace(_url)) return;
        var errors = new Dictionary<string, string[]>();
        await Rules.CheckUrlAsync(_url.Trim(), errors, CancellationToken.None);
        _urlError = errors.TryGetValue("url", out var messages) ? messages[0] : null;
    }

    private async Task SaveAsync()
    {
        if (!CheckChoices()) return;
        _saving = true;
        try
        {
            var events = _allEvents ? [] : EventOrder(_events);
            var projectIds = _allProjects ? [] : _projects.Order(StringComparer.Ordinal).ToArray();
            if (IsNew)
            {
                var created = await Webhooks.CreateAsync(_user, new CreateWebhookRequest(_url?.Trim(), _name, events, projectIds), CancellationToken.None);
                if (created is ServiceResult<(WebhookResponse Webhook, string Secret)>.Success { Value: var value })
                {
                    await ShowSecretAsync(value.Webhook, value.Secret);
                    Navigation.NavigateTo($"/webhooks/{value.Webhook.Id}");
                }
                else ShowErrors(created);
            }
            else
            {
                var updated = await Webhooks.UpdateAsync(_user, Id!, new UpdateWebhookRequest(_name ?? "", _url?.Trim() ?? "", events, projectIds), CancellationToken.None);
                if (updated is ServiceResult<WebhookResponse>.Success)
                {
                    Snackbar.Add(L["Editor.Saved"], Severity.Success);
                    Navigation.NavigateTo($"/webhooks/{Id}");
                }
                else ShowErrors(updated);
            }
        }
        finally
        {
            _saving = false;
        }
    }

    /// <summary>What the service cannot know: "choose some" without choosing any would silently mean "all".</summary>
    private bool CheckChoices()
    {
        _formError = null;
        _eventsError = !_allEvents && _events.Count == 0 ? L["Editor.Error.NoEvents"].Value : null;
        _projectsError = !_allProjects && _projects.Count == 0 ? L["Editor.Error.NoProjects"].Value : null;
        _urlError = string.IsNullOrWhiteSpace(_url) ? L["Editor.Error.NoUrl"].Value : _urlError;
        if (_eventsError is null && _projectsError is null && _urlError is null) return true;
        _formError = L["Editor.Error.Fix"];
        return false;
    }

    private void ShowErrors<T>(ServiceResult<T> result)
    {
        switch (result)
        {
            case ServiceResult<T>.Invalid invalid:
                _urlError = First(invalid.Errors, "url");
                _nameError = First(invalid.Errors, "name");
                _eventsError = First(invalid.Errors, "events");
                _projectsError = First(invalid.Errors, "projectIds");
                break;
            case ServiceResult<T>.Forbidden forbidden:
                _projectsError = forbidden.Message;
                break;
            case ServiceResult<T>.NotFound:
                _notFound = true;
                return;
        }
        _formError = L["Editor.Error.Fix"];
    }

    private static string? First(Dictionary<string, string[]> errors, string field) =>
        errors.Where(e => e.Key == field || e.Key.StartsWith(field + "[", StringComparison.Ordinal)).SelectMany(e => e.Value).FirstOrDefault();

    private static string[] EventOrder(IReadOnlySet<string> events) =>
        Events.EventCatalog.Subscribable.Select(e => e.Name).Where(events.Contains).ToArray();

    private async Task ShowSecretAsync(WebhookResponse webhook, string secret)
    {
        var parameters = new DialogParameters<SecretDialog> { { d => d.Secret, secret } };
        var options = new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseButton = false, CloseOnEscapeKey = false, BackdropClick = false };
        var dialog = await Dialogs.ShowAsync<SecretDialog>(L["Secret.Title", webhook.Name ?? webhook.Url], parameters, options);
        await dialog.Result;
    }
}
