using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Deliveries.Pages;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Features.Webhooks.Pages;

namespace WebhookAdmin.Tests.Ui.Reasons;

/// <summary>
/// What the engine wrote (attempt errors, a delivery's last error, why a webhook was disabled, a failed health
/// check) reads in the reader's language on every page that shows it, and in English exactly as the API says it.
/// </summary>
public sealed class ReasonLanguageTests(ReasonWorld world) : IClassFixture<ReasonWorld>
{
    [Theory]
    [InlineData("en", "connection refused")]
    [InlineData("pt-BR", "conexão recusada")]
    public async Task The_attempt_timeline_says_why_an_attempt_failed_in_the_reader_s_language(string culture, string expected)
    {
        await using var ui = world.Ui(culture);
        var delivery = await world.App.Services.GetRequiredService<DeliveryQueries>().GetAsync(world.AdminUser, world.RefusedDelivery, CancellationToken.None);

        var timeline = ui.RenderMud<AttemptTimeline>(p => p.Add(t => t.Attempts, delivery!.AttemptLog));

        Assert.Equal(expected, timeline.Find("[data-testid=attempt-outcome]").TextContent.Trim());
    }

    [Theory]
    [InlineData("en", "sent by")]
    [InlineData("pt-BR", "enviada por")]
    public async Task The_attempt_timeline_says_which_instance_made_each_attempt(string culture, string words)
    {
        await using var ui = world.Ui(culture);
        var delivery = await world.App.Services.GetRequiredService<DeliveryQueries>().GetAsync(world.AdminUser, world.RefusedDelivery, CancellationToken.None);

        var timeline = ui.RenderMud<AttemptTimeline>(p => p.Add(t => t.Attempts, delivery!.AttemptLog));

        Assert.Equal($"· {words} {Environment.MachineName}:{Environment.ProcessId}",
            timeline.Find("[data-testid=attempt-instance]").TextContent.Trim());
    }

    [Theory]
    [InlineData("en", "Why: Disabled automatically on ", "the receiver answered 410 Gone, which means the endpoint no longer exists.", @"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")]
    [InlineData("pt-BR", "Motivo: Desligado automaticamente em ", "o destino respondeu 410 Gone, o que significa que o endereço não existe mais.", @"\d{2}/\d{2}/\d{4} às \d{2}:\d{2} UTC")]
    public async Task The_disabled_banner_says_why_in_the_reader_s_language_with_the_date_in_its_format(string culture, string start, string end, string date)
    {
        await using var ui = world.Ui(culture);
        ui.RenderPopoverProvider();

        var page = ui.RenderMud<WebhookDetail>(p => p.Add(d => d.Id, world.Retired));

        var reason = page.WaitForElement("[data-testid=disabled-reason]").TextContent.Trim();
        Assert.StartsWith(start, reason);
        Assert.EndsWith(end, reason);
        Assert.Matches(date, reason);
        // The webhook's own delivery list says the same in the same words.
        page.WaitForAssertion(() => Assert.Contains(end.Split(',')[0], page.Find("[data-testid=webhook-deliveries]").TextContent));
    }

    [Theory]
    [InlineData("en", "Why: Disabled by admin@test.local on ", @"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$")]
    [InlineData("pt-BR", "Motivo: Desligado por admin@test.local em ", @"\d{2}/\d{2}/\d{4} às \d{2}:\d{2} UTC\.$")]
    public async Task A_webhook_turned_off_by_a_person_says_who_and_when_in_the_reader_s_language(string culture, string start, string date)
    {
        await using var ui = world.Ui(culture);
        ui.RenderPopoverProvider();

        var page = ui.RenderMud<WebhookDetail>(p => p.Add(d => d.Id, world.TurnedOff));

        var reason = page.WaitForElement("[data-testid=disabled-reason]").TextContent.Trim();
        Assert.StartsWith(start, reason);
        Assert.Matches(date, reason);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("pt-BR")]
    public async Task A_webhook_turned_off_before_reasons_had_parts_shows_its_stored_sentence(string culture)
    {
        await using var ui = world.Ui(culture);
        ui.RenderPopoverProvider();

        var page = ui.RenderMud<WebhookDetail>(p => p.Add(d => d.Id, world.OffBeforeParts));

        Assert.EndsWith(ReasonWorld.OldSentence, page.WaitForElement("[data-testid=disabled-reason]").TextContent.Trim());
    }

    [Theory]
    [InlineData("en", "It did not work: connection refused (after ")]
    [InlineData("pt-BR", "Não funcionou: conexão recusada (após ")]
    public async Task A_failed_test_send_says_why_in_the_reader_s_language(string culture, string expected)
    {
        await using var ui = world.Ui(culture);
        ui.RenderPopoverProvider();
        var dialogs = ui.RenderMud<MudDialogProvider>();
        var webhook = (await world.App.Services.GetRequiredService<WebhookService>().FindAsync(world.AdminUser, world.Refusing, CancellationToken.None))!;
        var parameters = new DialogParameters<TestEventDialog> { { d => d.Webhook, WebhookResponse.From(webhook) }, { d => d.User, world.AdminUser } };

        await dialogs.InvokeAsync(() => ui.Services.GetRequiredService<IDialogService>().ShowAsync<TestEventDialog>("Test", parameters));
        dialogs.WaitForElement("[data-testid=test-send]").Click();

        dialogs.WaitForAssertion(() => Assert.StartsWith(expected, dialogs.Find("[data-testid=test-result]").TextContent.Trim()), TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData("en", "The receiver did not pass the check: connection refused.")]
    [InlineData("pt-BR", "O destino não passou na verificação: conexão recusada.")]
    public async Task A_failed_health_check_in_the_enable_dialog_says_why_in_the_reader_s_language(string culture, string expected)
    {
        await using var ui = world.Ui(culture);
        ui.RenderPopoverProvider();
        var dialogs = ui.RenderMud<MudDialogProvider>();
        var page = ui.RenderMud<WebhookDetail>(p => p.Add(d => d.Id, world.Refusing));

        page.WaitForElement("[data-testid=detail-enable]").Click();
        dialogs.WaitForElement("[data-testid=enable-confirm]").Click();

        dialogs.WaitForAssertion(() => Assert.StartsWith(expected, dialogs.Find("[data-testid=enable-failed]").TextContent.Trim()), TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData("en", "connection refused")]
    [InlineData("pt-BR", "conexão recusada")]
    public async Task The_delivery_log_shows_the_last_error_in_the_reader_s_language(string culture, string expected)
    {
        await using var ui = world.Ui(culture);
        ui.RenderPopoverProvider();
        ui.Services.GetRequiredService<NavigationManager>().NavigateTo($"/deliveries?webhook={world.Refusing}");

        var log = ui.RenderMud<DeliveryLog>();

        // Its delivery and, once the enable dialog has run, its failed health check: the same words.
        log.WaitForAssertion(() =>
        {
            var cells = log.FindAll(".log-result");
            Assert.NotEmpty(cells);
            Assert.All(cells, cell => Assert.Equal(expected, cell.TextContent.Trim()));
        }, TimeSpan.FromSeconds(10));
    }
}
