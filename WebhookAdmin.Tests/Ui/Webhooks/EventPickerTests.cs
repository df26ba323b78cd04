using Bunit;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Webhooks.Pages;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Webhooks;

public sealed class EventPickerTests : IAsyncDisposable
{
    private readonly MudTestContext _ui = new();
    private bool _all = true;
    private IReadOnlySet<string> _selected = new HashSet<string>();
    private IRenderedComponent<EventPicker> _picker = null!;

    private void Render(bool all)
    {
        _all = all;
        _picker = _ui.RenderMud<EventPicker>(p => p
            .Add(x => x.AllEvents, _all)
            .Add(x => x.AllEventsChanged, value => _all = value)
            .Add(x => x.Selected, _selected)
            .Add(x => x.SelectedChanged, value => _selected = value));
    }

    /// <summary>What a parent binding does: hand the new values back to the picker.</summary>
    private void Rebind() => _picker.Render(p => p.Add(x => x.AllEvents, _all).Add(x => x.Selected, _selected));

    [Fact]
    public void All_events_is_the_default_and_shows_no_list_to_pick_from()
    {
        Render(all: true);

        Assert.True(_picker.Find("[data-testid=events-all]").HasAttribute("checked"));
        Assert.Empty(_picker.FindAll("input[data-event]"));
    }

    [Fact]
    public void Choosing_events_lists_all_37_in_Blues_six_groups_with_their_descriptions()
    {
        Render(all: true);
        _picker.Find("[data-testid=events-choose]").Click();
        Assert.False(_all);
        Rebind();

        Assert.Equal(EventCatalog.Subscribable.Count, _picker.FindAll("input[data-event]").Count);
        Assert.Equal(["Records", "Checklists", "Lists", "Customfields", "Tags", "Comments"],
            _picker.FindAll("[data-group]").Select(g => g.GetAttribute("data-group")));
        Assert.Contains("A comment was created.", _picker.Markup);
        Assert.DoesNotContain(EventCatalog.HealthCheck, _picker.Markup);
    }

    [Fact]
    public void The_group_box_selects_every_event_of_its_group_and_a_second_click_clears_them()
    {
        Render(all: false);
        _picker.Find("input[data-testid=group-Checklists]").Change(true);

        var checklists = EventCatalog.Subscribable.Where(e => e.Group == EventCatalog.Groups.Checklists).Select(e => e.Name).ToHashSet();
        Assert.Equal(checklists, _selected);
        Rebind();
        Assert.Contains("12 of 37 chosen", _picker.Find("[data-testid=events-count]").TextContent);

        _picker.Find("input[data-testid=group-Checklists]").Change(false);
        Assert.Empty(_selected);
    }

    [Fact]
    public void A_partly_chosen_group_shows_as_indeterminate_and_its_box_then_completes_it()
    {
        Render(all: false);
        _picker.Find("input[data-event=TAG_CREATED]").Change(true);
        Rebind();

        Assert.Equal(["TAG_CREATED"], _selected);
        Assert.Contains("1 of 3", _picker.Find("[data-group=Tags]").TextContent);
        Assert.NotNull(_picker.Find("[data-group=Tags] .mud-checkbox").QuerySelector(".mud-checkbox-null")); // indeterminate
        _picker.Find("input[data-testid=group-Tags]").Change(true);

        Assert.Equal(["TAG_CREATED", "TAG_DELETED", "TAG_UPDATED"], _selected.Order());
    }

    [Fact]
    public void Search_narrows_the_list_by_name_or_description_and_group_selection_takes_only_what_is_shown()
    {
        Render(all: false);
        _picker.Find("[data-testid=events-search]").Input("due date");

        var shown = _picker.FindAll("input[data-event]").Select(e => e.GetAttribute("data-event")).ToList();
        Assert.All(shown, name => Assert.Contains("DUE_DATE", name));
        Assert.Equal(6, shown.Count);
        _picker.Find("input[data-testid=group-Records]").Change(true);

        Assert.Equal(["TODO_DUE_DATE_ADDED", "TODO_DUE_DATE_REMOVED", "TODO_DUE_DATE_UPDATED"], _selected.Order());
    }

    [Fact]
    public async Task Event_names_and_groups_are_translated_in_Portuguese()
    {
        await using var portuguese = new MudTestContext("pt-BR");
        var picker = portuguese.RenderMud<EventPicker>(p => p.Add(x => x.AllEvents, false));

        Assert.Contains("Todos os eventos, inclusive tipos que surgirem no futuro", picker.Markup);
        Assert.Contains("Comentário criado", picker.Markup);
        Assert.Contains("Campos personalizados", picker.Markup);
    }

    public ValueTask DisposeAsync() => _ui.DisposeAsync();
}
