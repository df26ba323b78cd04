using Microsoft.AspNetCore.Components;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Common;
using WebhookAdmin.Features.Webhooks;

namespace WebhookAdmin.Features.Deliveries.Pages;

/// <summary>
/// A webhook as the picker offers it. A record: the autocomplete compares the chosen value with the options found.
/// <see cref="Label"/> is what the field shows once chosen; the option adds the address, so two webhooks of the same
/// name can be told apart.
/// </summary>
public sealed record WebhookChoice(string Id, string Label, string Url)
{
    public static WebhookChoice From(WebhookResponse webhook) => new(webhook.Id, webhook.Name ?? webhook.Url, webhook.Url);
}

/// <summary>
/// Chooses one webhook by typing part of its name, address or its uid (the same search as the webhook list), among all
/// the person may see: nothing is loaded up front, so there is no first-N limit.
/// </summary>
public sealed partial class WebhookPicker
{
    /// <summary>Options per search; more matches ask for a longer text (a list to read, not to scroll).</summary>
    private const int Shown = 20;

    private WebhookChoice? _chosen;
    private int _matches;

    [Inject] private WebhookService Webhooks { get; set; } = null!;

    [Parameter, EditorRequired] public CurrentUser User { get; set; } = null!;

    /// <summary>The chosen webhook's id (the log's <c>webhook=</c>), or null for all webhooks.</summary>
    [Parameter] public string? WebhookId { get; set; }

    [Parameter] public EventCallback<string?> WebhookIdChanged { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (WebhookId == _chosen?.Id) return;
        // An address names the webhook by id only: look it up to show its name (one the person may not see stays an id).
        _chosen = WebhookId is null ? null
            : await Webhooks.FindAsync(User, WebhookId, CancellationToken.None) is { } webhook ? WebhookChoice.From(WebhookResponse.From(webhook))
            : new WebhookChoice(WebhookId, L["Log.WebhookById", WebhookId[..Math.Min(8, WebhookId.Length)]], "");
    }

    private async Task<IEnumerable<WebhookChoice>> SearchAsync(string? text, CancellationToken cancellationToken)
    {
        // One more than shown: the autocomplete then says that more match (with the count found).
        var found = await Webhooks.ListAsync(User, new WebhookFilter(Search: text), new PageRequest(0, Shown + 1), cancellationToken);
        _matches = found.PageInfo.TotalItems;
        return found.Items.Select(WebhookChoice.From);
    }

    private async Task ChooseAsync(WebhookChoice? choice)
    {
        _chosen = choice;
        await WebhookIdChanged.InvokeAsync(choice?.Id);
    }
}
