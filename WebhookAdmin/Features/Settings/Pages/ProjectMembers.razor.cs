using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using WebhookAdmin.Components.Shared;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;

namespace WebhookAdmin.Features.Settings.Pages;

/// <summary>
/// Who belongs to a project, through the same <see cref="OrganizationService"/> as <c>PUT/DELETE /api/v1/projects/{id}/members/{email}</c>.
/// A removal takes effect for matching at once: the service invalidates the subscription index.
/// </summary>
public sealed partial class ProjectMembers
{
    private MudDataGrid<MemberRow> _grid = null!;
    private CurrentUser _user = new("", "", false, new HashSet<string>());
    private ProjectRow? _project;
    private bool _loading = true, _adding;
    private string? _email, _emailError;
    private string _role = "member";
    private string? _shownId;

    [Parameter] public string ProjectId { get; set; } = "";
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = null!;
    [Inject] private OrganizationQueries Queries { get; set; } = null!;
    [Inject] private OrganizationService Organization { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new(L["Settings.Companies.Title"], "/settings/companies"),
        new(_project!.CompanyName, $"/settings/companies/{_project.CompanyId}"),
        new(_project.Name, null, disabled: true),
    ];

    protected override async Task OnParametersSetAsync()
    {
        _user = await AuthState.CurrentUserAsync();
        if (_user.IsAdmin) _project = await Queries.ProjectAsync(ProjectId, CancellationToken.None);
        _loading = false;
        // The same page for another project (an address typed or linked): the grid keeps its instance, so reload it.
        if (_project is not null && _grid is not null && _shownId is not null && _shownId != ProjectId) await _grid.ReloadServerData();
        _shownId = ProjectId;
    }

    private async Task<GridData<MemberRow>> LoadAsync(GridState<MemberRow> state, CancellationToken cancellationToken)
    {
        var page = await Queries.MembersAsync(ProjectId, new PageRequest(state.Page * state.PageSize, state.PageSize), cancellationToken);
        return new GridData<MemberRow> { Items = page.Items, TotalItems = page.PageInfo.TotalItems };
    }

    private async Task AddAsync()
    {
        var email = _email?.Trim();
        _emailError = string.IsNullOrEmpty(email) ? L["Settings.User.Email.Required"].Value : null;
        if (_emailError is not null) return;

        _adding = true;
        var result = await Organization.PutMemberAsync(ProjectId, email!, new PutMemberRequest(_role), CancellationToken.None);
        _adding = false;
        if (result is ServiceResult<MemberResponse>.Success)
        {
            Snackbar.Add(L["Settings.Members.Added", email!, _project!.Name], Severity.Success);
            _email = null;
            await _grid.ReloadServerData();
        }
        else _emailError = result.ErrorMessage;
    }

    private async Task ChangeRoleAsync(MemberRow member, string role)
    {
        var result = await Organization.PutMemberAsync(ProjectId, member.Email, new PutMemberRequest(role), CancellationToken.None);
        if (result is ServiceResult<MemberResponse>.Success)
            Snackbar.Add(L[role == "admin" ? "Settings.Members.NowAdmin" : "Settings.Members.NowMember", member.Email], Severity.Success);
        else
            Snackbar.Add(result.ErrorMessage ?? "", Severity.Error);
        await _grid.ReloadServerData();
    }

    private async Task RemoveAsync(MemberRow member)
    {
        if (!await Dialogs.ConfirmAsync(L["Settings.Members.Remove.Title", member.Email],
                L["Settings.Members.Remove.Message", member.Email, _project!.Name], L["Settings.Members.Remove"], Color.Error,
                L["Settings.Members.Remove.Detail"])) return;
        await Organization.RemoveMemberAsync(ProjectId, member.Email, CancellationToken.None);
        Snackbar.Add(L["Settings.Members.Removed", member.Email], Severity.Success);
        await _grid.ReloadServerData();
    }
}
