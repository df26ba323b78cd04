using System.Text.Json;

namespace WebhookAdmin.Tests.Api;

/// <summary>Checks the contract's error shape: application/problem+json with title, status, detail and errors.</summary>
public static class ProblemAssertions
{
    /// <summary>
    /// Insists on <paramref name="status"/> and the problem shape; with <paramref name="fields"/>, each must be a key
    /// of <c>errors</c>. The failure message carries the body, so a red test says what the app answered.
    /// </summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status, params string[] fields)
    {
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
        Assert.True((int)response.StatusCode == status, $"{what}: expected {status}, got {(int)response.StatusCode}: {Shorten(text)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{what}: expected application/problem+json, got '{response.Content.Headers.ContentType}': {Shorten(text)}");

        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), $"{what}: the problem has no title");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"{what}: the problem has no detail");
        var errors = problem.GetProperty("errors");
        Assert.Equal(JsonValueKind.Object, errors.ValueKind);
        foreach (var field in fields)
            Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() > 0 &&
                        !string.IsNullOrWhiteSpace(messages[0].GetString()),
                $"{what}: expected errors['{field}'], got {errors}");
        return problem;
    }

    /// <summary>The messages of every field in <c>errors</c>, joined: for asserting that a message names a rule.</summary>
    public static string ErrorText(this JsonElement problem) =>
        string.Join(" | ", problem.GetProperty("errors").EnumerateObject().SelectMany(p => p.Value.EnumerateArray().Select(m => $"{p.Name}: {m.GetString()}")));

    private static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
