using Microsoft.Extensions.Localization;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Resources;

namespace WebhookAdmin.Features.Webhooks.Pages;

/// <summary>A project as people know it: its name and its company's.</summary>
public sealed record ProjectName(string Id, string Name, string CompanyId, string CompanyName);

/// <summary>
/// How webhooks are described in words on the pages: event and group names in the person's language,
/// short summaries for the list, and the one-sentence summary of the form ("what, from where, to where").
/// </summary>
public static class WebhookTexts
{
    /// <summary>Lists longer than this are summarised by their count.</summary>
    public const int NamedLimit = 3;

    public static string EventName(this IStringLocalizer<UiText> L, string type)
    {
        var text = L[$"Event.{type}"];
        return text.ResourceNotFound ? type : text.Value;
    }

    public static string EventDescription(this IStringLocalizer<UiText> L, string type)
    {
        var text = L[$"Event.{type}.Description"];
        return text.ResourceNotFound ? EventCatalog.Find(type)?.Description ?? "" : text.Value;
    }

    /// <summary>
    /// A sentence from the delivery engine (a disable reason) with event type names such as TODO_CREATED put
    /// in the person's words ("Record created"), so the explanation reads as plain language.
    /// </summary>
    public static string WithEventNames(this IStringLocalizer<UiText> L, string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\b[A-Z][A-Z_]{3,}[A-Z]\b",
            m => EventCatalog.IsSubscribable(m.Value) || m.Value == EventCatalog.HealthCheck ? $"“{L.EventName(m.Value)}”" : m.Value);

    public static string GroupName(this IStringLocalizer<UiText> L, string group) => L[$"EventGroup.{GroupKey(group)}"];

    public static string GroupKey(string group) => group.Replace(" ", "", StringComparison.Ordinal);

    public static Dictionary<string, ProjectName> ProjectNames(IEnumerable<CompanyTreeResponse> companies) =>
        companies.SelectMany(c => c.Projects.Select(p => new ProjectName(p.Id, p.Name, c.Id, c.Name)))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);

    public static string EventsSummary(this IStringLocalizer<UiText> L, IReadOnlyCollection<string> events) =>
        events.Count == 0 ? L["Webhooks.AllEvents"]
        : events.Count <= NamedLimit ? string.Join(", ", events.Select(L.EventName))
        : L["Webhooks.EventCount", events.Count];

    public static string ProjectsSummary(this IStringLocalizer<UiText> L, IReadOnlyCollection<string> projectIds, IReadOnlyDictionary<string, ProjectName> names) =>
        projectIds.Count == 0 ? L["Webhooks.AllProjects"]
        : projectIds.Count <= NamedLimit ? string.Join(", ", projectIds.Select(id => names.TryGetValue(id, out var p) ? p.Name : id))
        : L["Webhooks.ProjectCount", projectIds.Count];

    /// <summary>
    /// The form's live summary, e.g. "Record created and Comment created events from Website (Acme) and
    /// Onboarding (Globex) will be sent to https://…". Names up to <see cref="NamedLimit"/> items, then counts.
    /// </summary>
    public static string Sentence(this IStringLocalizer<UiText> L, bool allEvents, IReadOnlyCollection<string> events,
        bool allProjects, IReadOnlyCollection<ProjectName> projects, string? url)
    {
        var what = allEvents ? L["Summary.AllEvents"].Value
            : events.Count == 0 ? L["Summary.NoEvents"].Value
            : events.Count <= NamedLimit ? L["Summary.NamedEvents", L.JoinWords(events.Select(L.EventName).ToList())].Value
            : L["Summary.EventCount", events.Count].Value;
        var from = allProjects ? L["Summary.AllProjects"].Value
            : projects.Count == 0 ? L["Summary.NoProjects"].Value
            : projects.Count <= NamedLimit ? L["Summary.NamedProjects", L.JoinWords(projects.Select(p => $"{p.Name} ({p.CompanyName})").ToList())].Value
            : projects.Select(p => p.CompanyId).Distinct().Count() is var companies && companies == 1
                ? L["Summary.ProjectCountOneCompany", projects.Count, projects.First().CompanyName].Value
                : L["Summary.ProjectCount", projects.Count, companies].Value;
        var to = string.IsNullOrWhiteSpace(url) ? L["Summary.NoUrl"].Value : url.Trim();
        return L["Summary.Sentence", what, from, to];
    }

    /// <summary>"a", "a and b", "a, b and c" in the current language.</summary>
    public static string JoinWords(this IStringLocalizer<UiText> L, IReadOnlyList<string> words) => words.Count switch
    {
        0 => "",
        1 => words[0],
        _ => $"{string.Join(", ", words.Take(words.Count - 1))} {L["Common.And"]} {words[^1]}",
    };
}
