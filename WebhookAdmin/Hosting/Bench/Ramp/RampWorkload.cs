using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace WebhookAdmin.Hosting.Bench.Ramp;

/// <summary>
/// The organization and webhooks of the ramp, and its publisher. Webhooks are in groups; a group listens to one event
/// type in one project, so event <c>n</c>, of group <c>n mod groups</c>, matches exactly that group's webhooks.
/// </summary>
public sealed class RampWorkload(RampOptions options, RampTarget target, RampReceiver receiver) : IDisposable
{
    // Open loop: never waits. Closed: the requests in flight. Released by answers that may come after a stage ended.
    private readonly SemaphoreSlim _slots = new(options.OpenLoop ? int.MaxValue : options.InFlight);
    private const string Company = "ramp-co";
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly string[] Types =
    [
        "TODO_CREATED", "TODO_DELETED", "TODO_MOVED", "TODO_NAME_CHANGED", "TODO_DONE_STATUS_UPDATED",
        "TODO_DUE_DATE_ADDED", "TODO_DUE_DATE_UPDATED", "TODO_ASSIGNEE_ADDED", "TODO_TAG_ADDED", "TODO_CUSTOM_FIELD_UPDATED",
    ];

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _sequence;
    private long _accepted;
    private long _refused;

    /// <summary>Events the app answered 202 for.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Requests answered anything else (or not at all): the run's "published" falls short of "offered".</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public LatencyRecorder IngestLatencies { get; } = new();

    private static string Project(int index) => $"ramp-p{index}";
    private string TypeOf(int group) => Types[group % Math.Min(options.EventTypes, Types.Length)];
    private string ProjectOf(int group) => Project(group % options.Projects);

    public async Task SetUpAsync()
    {
        await ExpectAsync(HttpMethod.Put, $"/api/v1/companies/{Company}", new { name = "Ramp Co" }, HttpStatusCode.OK);
        for (var p = 0; p < options.Projects; p++)
        {
            await ExpectAsync(HttpMethod.Put, $"/api/v1/projects/{Project(p)}", new { companyId = Company, name = $"Ramp {p}" }, HttpStatusCode.OK);
            await ExpectAsync(HttpMethod.Put, $"/api/v1/projects/{Project(p)}/members/bench@example.com", new { role = "admin" }, HttpStatusCode.OK, HttpStatusCode.NotFound);
        }
        var secrets = new List<string>();
        for (var i = 0; i < options.Webhooks; i++)
        {
            var group = i % options.Groups;
            var created = await ExpectAsync(HttpMethod.Post, "/api/v1/webhooks",
                new { url = receiver.UrlOf(i), name = $"ramp {i}", events = new[] { TypeOf(group) }, projectIds = new[] { ProjectOf(group) } },
                HttpStatusCode.Created);
            secrets.Add(created.GetProperty("secret").GetString()!);
        }
        receiver.Expect(secrets);
        for (var i = 0; i < options.FilteredWebhooks; i++)
            await ExpectAsync(HttpMethod.Post, "/api/v1/webhooks", new { url = receiver.UrlOf(0), name = $"ramp filtered {i}", filter = NeverMatching(i) },
                HttpStatusCode.Created);
    }

    /// <summary>Three conditions the ramp's records (done, in list_1, no tags) never meet together: every one is evaluated.</summary>
    private static object NeverMatching(int i) => new
    {
        match = "all",
        conditions = new object[]
        {
            new { path = "currentValue.done", op = "eq", value = true },
            new { path = "currentValue.listId", op = "in", value = new[] { "list_1", $"list_{i}" } },
            new { path = "currentValue.tags[*].title", op = "eq", value = "Urgent" },
        },
    };

    /// <summary>
    /// Publishes at <paramref name="rate"/> events/s for <paramref name="duration"/>: open loop (each request at its
    /// due time, whatever the earlier ones did) or closed (at most <see cref="RampOptions.InFlight"/> at once).
    /// Returns once the last request was sent; answers may still be on their way (<see cref="Outstanding"/>).
    /// </summary>
    public async Task PublishAsync(double rate, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var requests = (long)(rate * duration.TotalSeconds / options.EventsPerRequest);
        var perRequest = options.EventsPerRequest / rate;
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; i < requests && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * perRequest * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, cancellationToken);
            await _slots.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _outstanding);
            _ = SendAsync().ContinueWith(_ =>
            {
                Interlocked.Decrement(ref _outstanding);
                _slots.Release();
            }, TaskScheduler.Default);
        }
    }

    private long _outstanding;

    /// <summary>Requests sent and not yet answered.</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    private async Task SendAsync()
    {
        var count = options.EventsPerRequest;
        var body = new StringBuilder(count == 1 ? "" : "[");
        var sequences = new long[count];
        for (var i = 0; i < count; i++)
        {
            sequences[i] = Interlocked.Increment(ref _sequence);
            if (i > 0) body.Append(',');
            body.Append(EventJson(sequences[i]));
        }
        if (count > 1) body.Append(']');
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToString()));
        content.Headers.ContentType = Json;
        var started = Stopwatch.GetTimestamp();
        foreach (var sequence in sequences) receiver.Published(sequence);
        try
        {
            using var response = await target.NextApi().PostAsync(count == 1 ? "/api/v1/events" : "/api/v1/events/batch", content);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Interlocked.Add(ref _accepted, count);
                IngestLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
        }
        catch (HttpRequestException) { }
        catch (TaskCanceledException) { }
        Interlocked.Add(ref _refused, count);
    }

    /// <summary>About 400 bytes, like a small record change; the id ends in the sequence number the receiver reads.</summary>
    private string EventJson(long sequence)
    {
        var group = (int)(sequence % options.Groups);
        return $$$"""{"id":"evt_ramp_{{{_run}}}_{{{sequence}}}","event":"{{{TypeOf(group)}}}","projectId":"{{{ProjectOf(group)}}}","actorId":"user_42","previousValue":{"id":"todo_123","title":"Draft proposal","done":false,"listId":"list_1"},"currentValue":{"id":"todo_123","title":"Draft proposal","done":true,"listId":"list_1"}}""";
    }

    private async Task<System.Text.Json.JsonElement> ExpectAsync(HttpMethod method, string path, object body, params HttpStatusCode[] expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await target.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!expected.Contains(response.StatusCode))
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }

    public void Dispose() => _slots.Dispose();
}
