using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WebhookAdmin.Hosting.Bench.Ramp;

/// <summary>
/// The ramp's receiver, Kestrel on loopback in the bench process, behaving like a careful client: it reads every
/// body, checks both signatures (<c>X-Signature</c> and <c>webhook-signature</c>) with the webhook's secret, and
/// tells a first arrival from a repeat. Webhook <c>i</c> posts to <c>/ok/{i}</c>; event ids end in the
/// publisher's sequence number, which finds the publish time without a dictionary of every event.
/// </summary>
public sealed class RampReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _verify;
    private readonly ChunkedLongs _publishedAt = new();
    private readonly ChunkedBits _seen = new();
    private (byte[] Blue, byte[] Standard)[] _keys = [];
    private int _webhooks;
    private long _delivered;
    private long _repeats;
    private long _badSignatures;

    private RampReceiver(WebApplication app, bool verify)
    {
        _app = app;
        _verify = verify;
    }

    public string BaseUrl { get; private set; } = "";
    public long Delivered => Interlocked.Read(ref _delivered);
    public long Repeats => Interlocked.Read(ref _repeats);
    public long BadSignatures => Interlocked.Read(ref _badSignatures);

    /// <summary>Publish → first arrival of each delivery, since the last <see cref="LatencyRecorder.Clear"/>.</summary>
    public LatencyRecorder Latencies { get; } = new();

    public static async Task<RampReceiver> StartAsync(bool verify)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        var app = builder.Build();
        var receiver = new RampReceiver(app, verify);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public string UrlOf(int webhook) => $"{BaseUrl}/ok/{webhook}";

    /// <summary>The secrets the app gave the webhooks, by webhook index.</summary>
    public void Expect(IReadOnlyList<string> secrets)
    {
        _webhooks = secrets.Count;
        _keys = secrets.Select(s => (Encoding.UTF8.GetBytes(s), Convert.FromBase64String(s.StartsWith("whsec_", StringComparison.Ordinal) ? s[6..] : s))).ToArray();
    }

    public void Published(long sequence) => _publishedAt.Set(sequence, Stopwatch.GetTimestamp());

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        var body = await ReadBodyAsync(context.Request);
        var path = context.Request.Path.Value ?? "";
        string? eventId = context.Request.Headers["webhook-id"];
        if (!path.StartsWith("/ok/", StringComparison.Ordinal) || eventId is null
            || !int.TryParse(path.AsSpan(4), CultureInfo.InvariantCulture, out var webhook) || webhook >= _webhooks
            || !long.TryParse(eventId.AsSpan(eventId.LastIndexOf('_') + 1), CultureInfo.InvariantCulture, out var sequence))
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (_verify && !SignaturesHold(context.Request.Headers, _keys[webhook], eventId, body))
        {
            Interlocked.Increment(ref _badSignatures);
            context.Response.StatusCode = 401;
            return;
        }
        if (_seen.TrySet(sequence * _webhooks + webhook))
        {
            Interlocked.Increment(ref _delivered);
            var sentAt = _publishedAt.Get(sequence);
            if (sentAt != 0) Latencies.Add(Stopwatch.GetElapsedTime(sentAt, arrived).TotalMilliseconds);
        }
        else Interlocked.Increment(ref _repeats);
        context.Response.StatusCode = 200;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream((int)(request.ContentLength ?? 1024));
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Both signatures, computed here from the secret (not by the app's signer), compared in fixed time.</summary>
    private static bool SignaturesHold(IHeaderDictionary headers, (byte[] Blue, byte[] Standard) key, string eventId, byte[] body)
    {
        var blue = Convert.ToHexStringLower(HMACSHA256.HashData(key.Blue, body));
        if (!FixedTimeEquals(headers["X-Signature"].ToString(), blue)) return false;
        var signed = Encoding.UTF8.GetBytes($"{eventId}.{headers["webhook-timestamp"]}.").Concat(body).ToArray();
        var standard = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key.Standard, signed));
        return headers["webhook-signature"].ToString().Split(' ').Any(entry => FixedTimeEquals(entry, standard));
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A growing array of longs in 64 Ki chunks, written and read from many threads.</summary>
    private sealed class ChunkedLongs
    {
        private const int Bits = 16;
        private long[]?[] _chunks = new long[]?[1024];
        private readonly Lock _grow = new();

        private const long Mask = (1 << Bits) - 1;

        public void Set(long index, long value) => Volatile.Write(ref Chunk(index)[index & Mask], value);

        public bool CompareExchange(long index, long value, long expected) =>
            Interlocked.CompareExchange(ref Chunk(index)[index & Mask], value, expected) == expected;

        public long Get(long index)
        {
            var chunks = _chunks;
            var c = index >> Bits;
            return c < chunks.Length && chunks[c] is { } chunk ? Volatile.Read(ref chunk[index & Mask]) : 0;
        }

        private long[] Chunk(long index)
        {
            var c = (int)(index >> Bits);
            if (c < _chunks.Length && _chunks[c] is { } chunk) return chunk;
            lock (_grow)
            {
                if (c >= _chunks.Length) Array.Resize(ref _chunks, Math.Max(c + 1, _chunks.Length * 2));
                return _chunks[c] ??= new long[1 << Bits];
            }
        }
    }

    /// <summary>A growing bit set: <see cref="TrySet"/> answers whether the bit was clear.</summary>
    private sealed class ChunkedBits
    {
        private readonly ChunkedLongs _words = new();

        public bool TrySet(long bit)
        {
            var mask = 1L << (int)(bit & 63);
            var word = bit >> 6;
            while (true)
            {
                var old = _words.Get(word);
                if ((old & mask) != 0) return false;
                if (_words.CompareExchange(word, old | mask, old)) return true;
            }
        }
    }
}
