using Bunit;
using WebhookAdmin.Features.Webhooks.Pages;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Webhooks;

public sealed class WebhookSummaryTests
{
    private static readonly ProjectName Website = new("acme-web", "Website relaunch", "acme", "Acme Corp");
    private static readonly ProjectName Mobile = new("acme-mobile", "Mobile app", "acme", "Acme Corp");
    private static readonly ProjectName Onboarding = new("globex-onb", "Customer onboarding", "globex", "Globex");
    private static readonly ProjectName Campaign = new("globex-q4", "Q4 campaign", "globex", "Globex");

    private static async Task<string> SentenceAsync(bool allEvents, string[] events, bool allProjects, ProjectName[] projects, string? url, string culture = "en")
    {
        await using var ui = new MudTestContext(culture);
        var summary = ui.RenderMud<WebhookSummary>(p => p
            .Add(x => x.AllEvents, allEvents).Add(x => x.Events, events)
            .Add(x => x.AllProjects, allProjects).Add(x => x.Projects, projects)
            .Add(x => x.Url, url));
        return summary.Find("[data-testid=summary-sentence]").TextContent;
    }

    [Fact]
    public async Task Everything_everywhere_says_so_including_what_is_added_later()
    {
        Assert.Equal(
            "Every event, including kinds added in the future, from all your projects, including ones you join later, will be sent to https://crm.example.com/hook.",
            await SentenceAsync(true, [], true, [], "https://crm.example.com/hook"));
    }

    [Fact]
    public async Task A_few_events_and_projects_across_companies_are_named_in_catalogue_order()
    {
        Assert.Equal(
            "Record created, Tag created and Comment created events from Website relaunch (Acme Corp) and Customer onboarding (Globex) will be sent to https://crm.example.com/hook.",
            await SentenceAsync(false, ["COMMENT_CREATED", "TODO_CREATED", "TAG_CREATED"], false, [Website, Onboarding], " https://crm.example.com/hook "));
    }

    [Fact]
    public async Task Longer_choices_are_counted_and_a_missing_address_is_pointed_at()
    {
        Assert.Equal(
            "5 kinds of events from 4 projects in 2 companies will be sent to the address you enter above.",
            await SentenceAsync(false, ["TODO_CREATED", "TODO_DELETED", "TODO_MOVED", "TAG_CREATED", "COMMENT_CREATED"], false,
                [Website, Mobile, Onboarding, Campaign], null));
        Assert.Equal(
            "Comment created events from 4 projects of Acme Corp will be sent to https://x.example.",
            await SentenceAsync(false, ["COMMENT_CREATED"], false, [Website, Mobile, Website with { Id = "a3" }, Mobile with { Id = "a4" }], "https://x.example"));
    }

    [Fact]
    public async Task An_empty_choice_is_called_out_rather_than_silently_meaning_everything()
    {
        Assert.Equal(
            "No events (choose at least one) from no project (choose at least one) will be sent to https://x.example.",
            await SentenceAsync(false, [], false, [], "https://x.example"));
    }

    [Fact]
    public async Task The_sentence_reads_in_Portuguese()
    {
        Assert.Equal(
            "Os eventos Registro criado e Comentário criado de Website relaunch (Acme Corp) serão enviados para https://x.example.",
            await SentenceAsync(false, ["TODO_CREATED", "COMMENT_CREATED"], false, [Website], "https://x.example", "pt-BR"));
    }
}
