using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>A request as the receiver saw it: raw body bytes and every header.</summary>
public sealed record ReceivedRequest(
    string Path, byte[] Body, IHeaderDictionary Headers, DateTimeOffset ReceivedAt, long Timestamp)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value.ToString() : "";
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
}

/// <summary>What the receiver answers: a status, optional headers and body, or a hang until released; after a delay if given.</summary>
public sealed record ReceiverAnswer(
    int Status = 200, string? Body = "ok", IDictionary<string, string>? Headers = null, bool Hang = false, TimeSpan? Delay = null)
{
    public static readonly ReceiverAnswer Ok = new();
    public static ReceiverAnswer Fail(int status = 500) => new(status, "broken");
    public static readonly ReceiverAnswer Hanging = new(Hang: true);

    /// <summary>200, after <paramref name="delay"/>: keeps the sender's request in flight that long.</summary>
    public static ReceiverAnswer Slow(TimeSpan delay) => new(Delay: delay);
}

/// <summary>
/// A real HTTP receiver on a loopback port (Kestrel). It records every request and answers as told;
/// <see cref="Respond(ReceiverAnswer)"/> changes the answer for later requests.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly CancellationTokenSource _releaseHangs = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private Func<ReceivedRequest, ReceiverAnswer> _answer = _ => ReceiverAnswer.Ok;

    private TestReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public string UrlFor(string path = "/hook") => new Uri(Url, path).ToString();

    public void Respond(ReceiverAnswer answer) => _answer = _ => answer;

    public void Respond(Func<ReceivedRequest, ReceiverAnswer> answer) => _answer = answer;

    public static async Task<TestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new TestReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = new ReceivedRequest(context.Request.Path, body.ToArray(),
            new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)),
            DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
        _requests.Enqueue(request);
        _arrived.Release();

        var answer = _answer(request);
        if (answer.Hang || answer.Delay is not null)
        {
            using var released = CancellationTokenSource.CreateLinkedTokenSource(_releaseHangs.Token, context.RequestAborted);
            try { await Task.Delay(answer.Hang ? Timeout.InfiniteTimeSpan : answer.Delay!.Value, released.Token); }
            catch (OperationCanceledException) { return; }
            if (answer.Hang) return;
        }
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            context.Response.Headers[name] = value;
        if (answer.Body is not null) await context.Response.WriteAsync(answer.Body);
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived in total.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (_requests.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                throw new TimeoutException($"Expected {count} requests at the receiver, got {_requests.Count}.");
        }
        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _releaseHangs.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
