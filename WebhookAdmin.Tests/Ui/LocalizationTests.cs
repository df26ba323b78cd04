using System.Text.RegularExpressions;
using System.Xml.Linq;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Webhooks.Pages;
using WebhookAdmin.Tests.Ui.Infrastructure;

namespace WebhookAdmin.Tests.Ui;

/// <summary>Every text of the admin app exists in English and Brazilian Portuguese, and every key the code asks for exists.</summary>
public sealed partial class LocalizationTests
{
    private static readonly string Resources = Path.Combine(Repository.Root, "WebhookAdmin", "Resources");
    private static readonly Dictionary<string, string> English = Read("UiText.resx");
    private static readonly Dictionary<string, string> Portuguese = Read("UiText.pt-BR.resx");

    [Fact]
    public void Both_languages_have_the_same_keys_none_empty_and_the_same_placeholders()
    {
        Assert.Empty(English.Keys.Except(Portuguese.Keys));
        Assert.Empty(Portuguese.Keys.Except(English.Keys));
        Assert.All(English, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), e.Key));
        Assert.All(Portuguese, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), e.Key));
        Assert.All(English, e => Assert.True(Placeholders(e.Value).SetEquals(Placeholders(Portuguese[e.Key])), $"{e.Key}: placeholders differ"));
    }

    [Fact]
    public void Every_key_the_pages_ask_for_by_name_exists()
    {
        var source = Path.Combine(Repository.Root, "WebhookAdmin");
        var used = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .ToList();

        Assert.True(used.Count > 200, "The scan found suspiciously few keys; has the L[\"…\"] convention changed?");
        Assert.Empty(used.Where(u => !English.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct());
    }

    [Fact]
    public void Keys_built_at_run_time_exist_for_every_value()
    {
        var keys = EventCatalog.Subscribable.Select(e => e.Name).Append(EventCatalog.HealthCheck)
            .SelectMany(e => new[] { $"Event.{e}", $"Event.{e}.Description" })
            .Concat(EventCatalog.GroupNames.Select(g => $"EventGroup.{WebhookTexts.GroupKey(g)}"))
            .Concat(Enum.GetNames<WebhookCondition>().Select(c => $"Condition.{c}"))
            .Concat(Enum.GetNames<ConditionFilter>().Select(c => $"Webhooks.Filter.{c}"))
            .Concat(WebhookAdmin.Features.Deliveries.DeliveryStatusNames.All.Select(s => $"DeliveryStatus.{s}"))
            .Concat(Enum.GetNames<WebhookAdmin.Features.Deliveries.Pages.LogRange>().Select(r => $"Log.Range.{r}"))
            .Concat(new[] { "scheduled", "manual" }.Select(t => $"Log.Trigger.{t}"))
            .Concat(WebhookAdmin.Features.Deliveries.Reasons.Because.Codes.Select(c => $"Reason.{c}").Append("Reason.AtFormat"));

        Assert.Empty(keys.Except(English.Keys));
    }

    [Fact]
    public void English_event_descriptions_are_the_catalogues_so_the_api_and_the_pages_agree() =>
        Assert.All(EventCatalog.Subscribable, e => Assert.Equal(e.Description, English[$"Event.{e.Name}.Description"]));

    [Fact]
    public void The_culture_switch_only_offers_languages_that_have_texts()
    {
        Assert.Equal(["en", "pt-BR"], WebhookAdmin.Components.AdminUi.Cultures);
        Assert.True(File.Exists(Path.Combine(Resources, "UiText.pt-BR.resx")));
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(Resources, file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).ToHashSet();

    [GeneratedRegex(@"\{\d+\}|\{[a-z_]+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\bL\[""([^""]+)""")]
    private static partial Regex LiteralKey();
}
