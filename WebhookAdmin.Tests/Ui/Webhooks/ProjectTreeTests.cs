using Bunit;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Webhooks.Pages;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Webhooks;

public sealed class ProjectTreeTests : IAsyncDisposable
{
    private static readonly List<CompanyTreeResponse> Companies =
    [
        new("acme", "Acme Corp", [new("acme-web", "Website relaunch", "member"), new("acme-mobile", "Mobile app", "member")]),
        new("globex", "Globex", [new("globex-onb", "Customer onboarding", "member"), new("globex-q4", "Q4 campaign", "admin")]),
    ];

    private readonly MudTestContext _ui = new();
    private bool _all = true;
    private IReadOnlySet<string> _selected = new HashSet<string>();
    private IRenderedComponent<ProjectTree> _tree = null!;

    private void Render(bool all, IReadOnlyList<CompanyTreeResponse>? companies = null)
    {
        _all = all;
        _tree = _ui.RenderMud<ProjectTree>(p => p
            .Add(x => x.Companies, companies ?? Companies)
            .Add(x => x.AllProjects, _all)
            .Add(x => x.AllProjectsChanged, value => _all = value)
            .Add(x => x.Selected, _selected)
            .Add(x => x.SelectedChanged, value => _selected = value));
    }

    private void Rebind() => _tree.Render(p => p.Add(x => x.AllProjects, _all).Add(x => x.Selected, _selected));

    [Fact]
    public void All_my_projects_is_the_default_and_says_how_many_that_is_today()
    {
        Render(all: true);

        Assert.True(_tree.Find("[data-testid=projects-all]").HasAttribute("checked"));
        Assert.Contains("4 projects in 2 companies", _tree.Markup);
        Assert.Empty(_tree.FindAll("input[data-project]"));
    }

    [Fact]
    public void Projects_of_different_companies_can_be_chosen_together()
    {
        Render(all: true);
        _tree.Find("[data-testid=projects-choose]").Click();
        Rebind();
        _tree.Find("input[data-project=acme-web]").Change(true);
        Rebind();
        _tree.Find("input[data-project=globex-onb]").Change(true);
        Rebind();

        Assert.False(_all);
        Assert.Equal(["acme-web", "globex-onb"], _selected.Order());
        Assert.Contains("2 of 4 chosen", _tree.Find("[data-testid=projects-count]").TextContent);
        Assert.Contains("1 of 2", _tree.Find("[data-company=acme]").TextContent);
        Assert.Contains("1 of 2", _tree.Find("[data-company=globex]").TextContent);
    }

    [Fact]
    public void A_company_box_chooses_all_of_its_projects_and_only_those_and_a_second_click_clears_them()
    {
        Render(all: false);
        _tree.Find("input[data-project=acme-web]").Change(true);
        Rebind();
        _tree.Find("input[data-testid=company-globex]").Change(true);
        Rebind();

        Assert.Equal(["acme-web", "globex-onb", "globex-q4"], _selected.Order());
        _tree.Find("input[data-testid=company-globex]").Change(false);
        Assert.Equal(["acme-web"], _selected);
    }

    [Fact]
    public void Someone_without_projects_is_told_the_webhook_would_receive_nothing()
    {
        Render(all: true, companies: []);

        Assert.Contains("not a member of any project", _tree.Find("[data-testid=projects-none]").TextContent);
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
