using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>Small helpers so tests read as what a client does.</summary>
public static class ApiExtensions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends and insists on the status; the failure message carries the body, so a red test says why.</summary>
    public static async Task<JsonElement> SendExpectAsync(this HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> PostOk(this HttpClient client, string path, object? body, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.SendExpectAsync(HttpMethod.Post, path, body, expected);

    public static Task<JsonElement> GetOk(this HttpClient client, string path) =>
        client.SendExpectAsync(HttpMethod.Get, path, null, HttpStatusCode.OK);

    public static Task<JsonElement> PutOk(this HttpClient client, string path, object? body) =>
        client.SendExpectAsync(HttpMethod.Put, path, body, HttpStatusCode.OK);

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
