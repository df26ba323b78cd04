using System.Text.Json;
using WebhookAdmin.Features.Webhooks.Filters;

namespace WebhookAdmin.Tests.Features.Webhooks;

/// <summary>The filter language on its own: paths, each operator, missing fields, changed, all/any, and what is refused.</summary>
public sealed class RecordFilterTests
{
    private const string Record = """
        { "id": "todo_1", "title": "Fix the invoice", "done": false, "list": { "id": "list_9", "title": "Backlog" },
          "tags": [ { "id": "t1", "title": "Urgent" }, { "id": "t2", "title": "Billing" } ],
          "assignees": [ { "id": "u1", "fullName": "Ana Souza" } ], "duedAt": "2026-12-08T17:00:00.000Z",
          "estimate": 3, "labels": ["a", "b"], "note": null }
        """;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static bool Matches(string path, string op, object? value, string? previous = null, string current = Record, string match = "all") =>
        Compile(match, new FilterCondition(path, op, value is null ? null : JsonSerializer.SerializeToElement(value)))
            .Matches(previous is null ? null : Json(previous), Json(current));

    private static CompiledFilter Compile(string match, params FilterCondition[] conditions)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = RecordFilterRules.Check(new RecordFilter(match, conditions), errors);
        Assert.Empty(errors);
        return CompiledFilter.From(filter)!;
    }

    [Theory]
    [InlineData("currentValue.title", "eq", "Fix the invoice", true)]
    [InlineData("currentValue.title", "eq", "fix the invoice", false)]
    [InlineData("currentValue.estimate", "eq", 3, true)]
    [InlineData("currentValue.done", "eq", false, true)]
    [InlineData("currentValue.tags[*].title", "eq", "Billing", true)]
    [InlineData("currentValue.tags[*].title", "eq", "Later", false)]
    [InlineData("currentValue.tags[0].title", "eq", "Urgent", true)]
    [InlineData("currentValue.tags[1].title", "eq", "Urgent", false)]
    [InlineData("currentValue.tags[5].title", "eq", "Urgent", false)]
    [InlineData("currentValue.list.title", "ne", "Done", true)]
    [InlineData("currentValue.list.title", "ne", "Backlog", false)]
    [InlineData("currentValue.tags[*].title", "ne", "Urgent", false)]
    [InlineData("currentValue.missing", "ne", "x", true)]
    [InlineData("currentValue.title", "contains", "INVOICE", true)]
    [InlineData("currentValue.title", "contains", "receipt", false)]
    [InlineData("currentValue.labels", "contains", "b", true)]
    [InlineData("currentValue.labels", "contains", "c", false)]
    [InlineData("currentValue.tags[*].title", "contains", "urg", true)]
    [InlineData("currentValue.duedAt", "exists", null, true)]
    [InlineData("currentValue.note", "exists", null, false)]
    [InlineData("currentValue.nothing.deeper", "exists", null, false)]
    [InlineData("currentValue.title.length", "exists", null, false)]
    [InlineData("currentValue.assignees[*].fullName", "exists", null, true)]
    [InlineData("currentValue.missing", "eq", "x", false)]
    public void An_operator_on_a_path_holds_as_documented(string path, string op, object? value, bool expected) =>
        Assert.Equal(expected, Matches(path, op, value));

    [Fact]
    public void In_holds_when_any_value_at_the_path_is_one_of_the_list()
    {
        Assert.True(Matches("currentValue.tags[*].title", "in", new[] { "Blocked", "Billing" }));
        Assert.False(Matches("currentValue.tags[*].title", "in", new[] { "Blocked", "Later" }));
        Assert.True(Matches("currentValue.estimate", "in", new object[] { 1, 3 }));
        Assert.False(Matches("currentValue.missing", "in", new[] { "x" }));
    }

    [Fact]
    public void Changed_compares_the_same_path_before_and_after()
    {
        const string before = """{ "duedAt": "2026-12-01T17:00:00.000Z", "tags": [ { "title": "Urgent" } ], "title": "Same" }""";
        const string after = """{ "duedAt": "2026-12-08T17:00:00.000Z", "tags": [ { "title": "Urgent" } ], "title": "Same" }""";
        Assert.True(Matches("currentValue.duedAt", "changed", null, before, after));
        Assert.False(Matches("currentValue.title", "changed", null, before, after));
        Assert.False(Matches("currentValue.tags[*].title", "changed", null, before, after));
        Assert.True(Matches("currentValue.tags[*].title", "changed", null, before, """{ "tags": [ { "title": "Urgent" }, { "title": "New" } ] }"""));
        // A field that appears (or disappears) is a change; one missing on both sides is not.
        Assert.True(Matches("currentValue.estimate", "changed", null, before, Record));
        Assert.False(Matches("currentValue.nowhere", "changed", null, before, after));
        // A created record has no previous value: everything it has "changed".
        Assert.True(Matches("currentValue.duedAt", "changed", null, null, after));
    }

    [Fact]
    public void A_path_into_previous_value_reads_the_record_as_it_was()
    {
        const string before = """{ "list": { "title": "Backlog" } }""";
        Assert.True(Matches("previousValue.list.title", "eq", "Backlog", before, """{ "list": { "title": "Done" } }"""));
        Assert.False(Matches("previousValue.list.title", "eq", "Backlog", null, Record));
    }

    [Fact]
    public void All_needs_every_condition_and_any_needs_one()
    {
        var urgent = new FilterCondition("currentValue.tags[*].title", "eq", JsonSerializer.SerializeToElement("Urgent"));
        var done = new FilterCondition("currentValue.list.title", "eq", JsonSerializer.SerializeToElement("Done"));
        Assert.False(Compile("all", urgent, done).Matches(null, Json(Record)));
        Assert.True(Compile("any", urgent, done).Matches(null, Json(Record)));
        Assert.True(Compile("all", urgent).Matches(null, Json(Record)));
        Assert.False(Compile("any", done).Matches(null, Json(Record)));
    }

    [Fact]
    public void An_event_without_data_meets_only_conditions_on_absence()
    {
        var filter = Compile("all", new FilterCondition("currentValue.title", "ne", JsonSerializer.SerializeToElement("x")));
        Assert.True(filter.Matches(null, null));
        Assert.False(Compile("all", new FilterCondition("currentValue.title", "exists")).Matches(null, null));
    }

    [Theory]
    [InlineData("""{ "match": "some", "conditions": [ { "path": "currentValue.a", "op": "exists" } ] }""", "filter.match")]
    [InlineData("""{ "conditions": [] }""", "filter.conditions")]
    [InlineData("""{ "conditions": [ { "path": "title", "op": "exists" } ] }""", "filter.conditions[0].path")]
    [InlineData("""{ "conditions": [ { "path": "currentValue.tags[x].title", "op": "exists" } ] }""", "filter.conditions[0].path")]
    [InlineData("""{ "conditions": [ { "path": "currentValue..title", "op": "exists" } ] }""", "filter.conditions[0].path")]
    [InlineData("""{ "conditions": [ { "path": "currentValue.tags[*", "op": "exists" } ] }""", "filter.conditions[0].path")]
    [InlineData("""{ "conditions": [ { "path": "currentValue.a", "op": "exists" }, { "path": "currentValue.a", "op": "like", "value": "x" } ] }""", "filter.conditions[1].op")]
    [InlineData("""{ "conditions": [ { "path": "currentValue.a", "op": "eq" } ] }""", "filter.conditions[0].value")]
    [InlineData("""{ "conditions": [ { "path": "currentValue.a", "op": "eq", "value": { "x": 1 } } ] }""", "filter.conditions[0].value")]
    [InlineData("""{ "conditions": [ { "path": "currentValue.a", "op": "in", "value": "x" } ] }""", "filter.conditions[0].value")]
    [InlineData("""{ "conditions": [ { "path": "currentValue.a", "op": "in", "value": [] } ] }""", "filter.conditions[0].value")]
    [InlineData("""{ "conditions": [ { "path": "currentValue.a", "op": "contains", "value": 3 } ] }""", "filter.conditions[0].value")]
    [InlineData("""{ "conditions": [ { "path": "currentValue.a", "op": "exists", "value": 3 } ] }""", "filter.conditions[0].value")]
    [InlineData("""{ "conditions": "all of them" }""", "filter.conditions")]
    [InlineData("""[ 1 ]""", "filter")]
    public void A_bad_filter_is_refused_naming_the_condition(string json, string field)
    {
        var errors = new Dictionary<string, string[]>();
        Assert.Null(RecordFilterRules.Read(Json(json), errors));
        // One key, "filter"; each message starts with the condition it is about.
        Assert.Equal(["filter"], errors.Keys);
        if (field != "filter")
            Assert.True(errors["filter"].Any(m => m.StartsWith(field["filter.".Length..] + ": ", StringComparison.Ordinal)),
                $"expected a message about {field}, got: {string.Join(" | ", errors["filter"])}");
    }

    [Fact]
    public void The_limits_are_refused_with_their_numbers()
    {
        var errors = new Dictionary<string, string[]>();
        var many = Enumerable.Range(0, RecordFilterRules.MaxConditions + 1).Select(_ => new FilterCondition("currentValue.a", "exists")).ToArray();
        RecordFilterRules.Check(new RecordFilter("all", many), errors);
        Assert.Contains("20", errors["filter.conditions"][0]);

        errors.Clear();
        RecordFilterRules.Check(new RecordFilter("all", [new FilterCondition("currentValue." + new string('a', FilterPath.MaxLength), "exists")]), errors);
        Assert.Contains("200", errors["filter.conditions[0].path"][0]);
    }

    [Fact]
    public void A_stored_filter_reads_back_as_it_was_checked()
    {
        var errors = new Dictionary<string, string[]>();
        var filter = RecordFilterRules.Read(Json("""{ "match": "ANY", "conditions": [ { "path": "currentValue.tags[*].title", "op": "EQ", "value": "Urgent" } ] }"""), errors);
        var stored = RecordFilterRules.FromJson(RecordFilterRules.ToJson(filter))!;
        Assert.Equal(("any", "eq", "currentValue.tags[*].title", "Urgent"),
            (stored.Match, stored.Conditions![0].Op, stored.Conditions[0].Path, stored.Conditions[0].Value!.Value.GetString()));
    }
}
